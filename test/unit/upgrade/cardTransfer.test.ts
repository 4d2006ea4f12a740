import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import { createMatchingCardSet } from '../../../fixtures/cards/cardSet.js';
import type { VirtualCardChannel } from '../../../fixtures/cards/VirtualCardChannel.js';
import { VirtualUpgradeCard } from '../../../fixtures/cards/VirtualUpgradeCard.js';
import { decodeCommandApdu } from '../../../protocols/apdu/CommandApdu.js';
import { decodeUpgradeAreaRequest, writeChunkSize, SHORT_APDU_LIMITS } from '../../../protocols/gb18240-card/upgradeCardCommands.js';
import { readUpgradeCardHeader, UPGRADE_CARD_HEADER_SIZE } from '../../../protocols/gb18240-card/upgradeCardLayout.js';
import type { JobEvent } from '../../../src/store/types.js';
import { CAPACITY, cardHarness as harness, closeCardHarnesses, packageOf } from '../../helpers/cardUpgradeHarness.js';

/**
 * The IC-card path (issue 11 item 8) through the real job runner, the simulated register and its card installer:
 * the gateway writes virtual upgrade cards in a reader (a CardChannel), the simulated technician moves them as the
 * cards and the reader show, the register reads them from its user-card slot, checks the signature with its
 * trusted key and boots the image on trial; settle confirms it.
 */

afterEach(closeCardHarnesses);

const writesIn = (channel: VirtualCardChannel) => channel.trace.filter((t) => t.command[1] === 0xd7);
const waitingCodes = (events: JobEvent[]) => events.filter((e) => e.type === 'waiting').map((e) => (e.data as { code?: string }).code);

describe('the IC-card upgrade path', () => {
  for (const profile of ['short', 'extended', 'short-t0'] as const) {
    it(`${profile} cards: three cards written, read back, carried; the register installs, the job confirms`, async () => {
      const { register, upgrade, boxed, technician, id, channel } = await harness({ profile });
      const pkg = await packageOf('2.4.0');
      const { job, events } = await upgrade(pkg);
      expect(job, JSON.stringify(job.error)).toMatchObject({ state: 'succeeded', result: { path: 'ic-card', after: '2.4.0', verified: true, confirmed: true } });
      expect(register.simulator.firmware.running).toMatchObject({ version: '2.4.0', sha256: pkg.manifest.sha256 });
      const cards = (job.result as { write: { detail: { cards: number; apdus: string } } }).write.detail;
      expect(cards).toMatchObject({ cards: 3, apdus: profile === 'extended' ? 'extended' : 'short' });
      // Over T=0 the read-back's answers came with GET RESPONSE (61xx), through protocols/apdu's transceive.
      expect(channel.trace.some((t) => t.command[1] === 0xc0)).toBe(profile === 'short-t0');
      // The cards carry parts 1…3 of this package, for this register.
      const written = boxed.filter((c) => readUpgradeCardHeader(c.area).ok).map((c) => readUpgradeCardHeader(c.area));
      expect(written.map((r) => r.ok && [r.header.part, r.header.parts, r.header.machineNumber])).toEqual([[1, 3, id], [2, 3, id], [3, 3, id]]);
      expect(technician.moves.filter((m) => m.includes('read a card'))).toHaveLength(3);
      expect(waitingCodes(events)).toEqual(expect.arrayContaining(['UPGRADE_CARD_INSERT', 'UPGRADE_CARD_REMOVE', 'UPGRADE_CARD_HANDOVER']));
      const handover = events.find((e) => e.type === 'waiting' && (e.data as { code?: string }).code === 'UPGRADE_CARD_HANDOVER');
      expect(handover?.data).toMatchObject({ message: { 'zh-CN': expect.stringContaining(`收款机 ${id}`), en: expect.stringContaining(`register ${id}`) } });
    });
  }

  it('writes in the largest APDUs: 255-byte short data fields, or 4089-byte extended ones on an extended card', async () => {
    for (const profile of ['short', 'extended'] as const) {
      const { upgrade, channel } = await harness({ profile });
      const sizes = new Set<number>();
      const { job } = await upgrade(await packageOf('2.4.0', 6000), () => {
        for (const t of writesIn(channel)) sizes.add(decodeCommandApdu(t.command).data.length);
      });
      expect(job.state).toBe('succeeded');
      const largest = Math.max(...sizes);
      expect(largest).toBe(profile === 'short' ? 255 : 4089);
    }
  });

  for (const [profile, chunk] of [['short', writeChunkSize(SHORT_APDU_LIMITS)], ['extended', 4080]] as const) {
    it(`${profile} cards: each card is written in full APDUs of ${chunk} bytes, only the set's very last APDU is partial; the register joins the set`, async () => {
      const { upgrade, reader, boxed, register } = await harness({ profile });
      const payloads: number[] = [];
      reader.wrap = (inner) => ({
        description: inner.description, reset: () => inner.reset(),
        transmit: async (apdu) => {
          if (apdu[1] === 0xd7) {
            const request = decodeUpgradeAreaRequest(decodeCommandApdu(apdu).data);
            payloads.push(request.ok ? request.data?.length ?? 0 : 0);
          }
          return inner.transmit(apdu);
        },
      });
      const { job } = await upgrade(await packageOf('2.4.0'));
      expect(job, JSON.stringify(job.error)).toMatchObject({ state: 'succeeded', result: { write: { detail: { cards: 3, apduPayload: chunk } } } });
      expect(register.simulator.firmware.running.version).toBe('2.4.0');
      expect(payloads.slice(0, -1).every((n) => n === chunk)).toBe(true);
      expect(payloads.at(-1)).toBeLessThan(chunk);
      const headers = boxed.map((c) => readUpgradeCardHeader(c.area)).flatMap((r) => (r.ok ? [r.header] : []));
      expect(headers.map((h) => h.part)).toEqual([1, 2, 3]);
      for (const h of headers.slice(0, -1)) expect((UPGRADE_CARD_HEADER_SIZE + h.dataLength) % chunk).toBe(0);
    });
  }

  it('a run resumed from a checkpoint that names the APDU payload cuts the parts the same way', async () => {
    const { devices, transfer, id, boxed } = await harness();
    const pkg = await packageOf('2.4.0');
    const { createHash } = await import('node:crypto');
    const packageSha256 = createHash('sha256').update(pkg.fwpkg!).digest('hex');
    const abort = new AbortController();
    await devices.withDevice(id, abort.signal, (device) => transfer.transfer({
      deviceId: id, signal: abort.signal, resumedFrom: undefined, stage: () => undefined, running: () => undefined,
      progress: (_fraction: number, detail?: string) => {
        if (detail?.includes('written, read back and verified')) abort.abort(new Error('seen enough'));
      },
      waiting: () => undefined,
    } as never, device, pkg, {
      model: 'SIM-ECR-200', from: '2.3.1', trialSeconds: 5, rebootMs: 1000,
      resumed: { phase: 'write', path: 'ic-card', detail: { step: 'writing', packageSha256, capacity: CAPACITY, apduPayload: 247, parts: 3, verified: [1, 2], reader: 'Test Reader 0' } } as never,
      progress: () => undefined, activating: () => undefined, waitForRegister: async () => undefined,
    })).then(() => undefined, () => undefined);
    const written = boxed.map((c) => readUpgradeCardHeader(c.area)).flatMap((r) => (r.ok ? [r.header] : []));
    const per = Math.floor(CAPACITY / 247) * 247 - UPGRADE_CARD_HEADER_SIZE;
    expect(written.map((h) => [h.part, h.dataOffset, h.dataLength])).toEqual([[3, 2 * per, pkg.fwpkg!.length - 2 * per]]);
  });

  it('a reader that cannot carry extended APDUs: the extended card is written with short ones', async () => {
    const { upgrade, reader } = await harness({ profile: 'extended' });
    reader.wrap = (inner) => ({
      description: inner.description, reset: () => inner.reset(),
      transmit: async (apdu) => {
        // An extended APDU has a zero where a short one has its Lc or Le: this reader fails the transaction (card still in).
        if (apdu.length > 7 && apdu[4] === 0) throw new GatewayError('CARD_TRANSACTION_FAILED', { params: { reader: reader.name, detail: 'SCARD_E_NOT_TRANSACTED' } });
        return inner.transmit(apdu);
      },
    });
    const { job } = await upgrade(await packageOf('2.4.0'));
    expect(job, JSON.stringify(job.error)).toMatchObject({ state: 'succeeded', result: { write: { detail: { apdus: 'short (the reader refused an extended APDU)' } } } });
  });

  it('a reader whose exchanges keep failing with the card in it ends the job after three attempts, the register untouched', async () => {
    const { upgrade, reader, register } = await harness();
    reader.wrap = (inner) => ({
      description: inner.description, reset: () => inner.reset(),
      transmit: async (apdu) => {
        if (apdu[1] === 0xd7) throw new GatewayError('CARD_TRANSACTION_FAILED', { params: { reader: reader.name, detail: 'SCARD_E_NOT_TRANSACTED' } });
        return inner.transmit(apdu);
      },
    });
    const { job } = await upgrade(await packageOf('2.4.0'));
    expect(job).toMatchObject({ state: 'failed', error: { code: 'UPGRADE_CARD_WRITE_FAILED', params: { part: 1, attempts: 3 } } });
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
  });

  it('a card pulled mid-write (torn APDU) is never counted: the next card in is written whole and verified', async () => {
    const { upgrade, reader, register } = await harness();
    let updates = 0;
    let pulled = false;
    reader.wrap = (inner) => ({
      description: inner.description,
      reset: () => inner.reset(),
      transmit: async (apdu) => {
        if (apdu[1] === 0xd7 && !pulled && ++updates === 40) {
          // The technician pulls the card while the 40th UPDATE BINARY is being programmed.
          pulled = true;
          (reader.channel.card as VirtualUpgradeCard).tearNextWrite(100);
          await inner.transmit(apdu);
          reader.channel.remove();
          throw new GatewayError('CARD_REMOVED', { params: { reader: reader.name } });
        }
        return inner.transmit(apdu);
      },
    });
    const { job, events } = await upgrade(await packageOf('2.4.0'));
    expect(job, JSON.stringify(job.error)).toMatchObject({ state: 'succeeded', result: { after: '2.4.0', confirmed: true } });
    expect(pulled).toBe(true);
    expect(waitingCodes(events)).toContain('UPGRADE_CARD_REINSERT');
    const write = (job.result as { write: { resumes: { at: number; resent: number }[] } }).write;
    expect(write.resumes).toHaveLength(1);
    expect(write.resumes[0]!.resent).toBeGreaterThan(0);
    expect(register.simulator.firmware.running.version).toBe('2.4.0');
  });

  it('cards pulled at 12 points (writes, read-backs, the header) in one job: each rewritten, the job verified', async () => {
    const { upgrade, reader, register } = await harness();
    let exchanges = 0;
    let pulls = 0;
    reader.wrap = (inner) => ({
      description: inner.description, reset: () => inner.reset(),
      transmit: async (apdu) => {
        exchanges += 1;
        // Every 23rd exchange, twelve times: UPDATE BINARY (torn half way), READ BINARY of the read-back, SELECTs.
        if (pulls < 12 && exchanges % 23 === 0) {
          pulls += 1;
          const card = reader.channel.card as VirtualUpgradeCard;
          if (apdu[1] === 0xd7) {
            card.tearNextWrite(60);
            await inner.transmit(apdu);
          }
          reader.channel.remove();
          throw new GatewayError('CARD_REMOVED', { params: { reader: reader.name } });
        }
        return inner.transmit(apdu);
      },
    });
    const { job } = await upgrade(await packageOf('2.4.0'));
    expect(job, JSON.stringify(job.error)).toMatchObject({ state: 'succeeded', result: { after: '2.4.0', verified: true, confirmed: true } });
    expect(pulls).toBe(12);
    expect((job.result as { write: { resumes: unknown[] } }).write.resumes).toHaveLength(12);
    expect(register.simulator.firmware.running).toMatchObject({ version: '2.4.0' });
  });

  it('a run resumed from its checkpoint asks only for the cards not yet verified', async () => {
    const { devices, transfer, id, boxed } = await harness();
    const pkg = await packageOf('2.4.0');
    const { createHash } = await import('node:crypto');
    const packageSha256 = createHash('sha256').update(pkg.fwpkg!).digest('hex');
    const details: unknown[] = [];
    const prompts: string[] = [];
    const abort = new AbortController();
    const failure = await devices.withDevice(id, abort.signal, (device) => transfer.transfer({
      deviceId: id, signal: abort.signal, resumedFrom: undefined,
      stage: () => undefined, running: () => undefined,
      progress: (_fraction: number, detail?: string) => {
        if (detail?.includes('written, read back and verified')) abort.abort(new Error('seen enough'));
      },
      waiting: (reason: { message: { en: string } }) => { prompts.push(reason.message.en); },
    } as never, device, pkg, {
      model: 'SIM-ECR-200', from: '2.3.1', trialSeconds: 5, rebootMs: 1000,
      resumed: { phase: 'write', path: 'ic-card', detail: { step: 'writing', packageSha256, capacity: CAPACITY, parts: 3, verified: [1, 2], reader: 'Test Reader 0' } } as never,
      progress: (_offset: number, detail?: unknown) => { details.push(detail); },
      activating: () => undefined,
      waitForRegister: async () => undefined,
    })).then(() => undefined, (error: unknown) => error);
    expect((failure as Error).message).toBe('seen enough');
    expect(prompts[0]).toContain('upgrade card 3 of 3');
    const written = boxed.map((c) => readUpgradeCardHeader(c.area)).filter((r) => r.ok);
    expect(written.map((r) => r.ok && r.header.part)).toEqual([3]);
    expect(details).toContainEqual(expect.objectContaining({ step: 'writing', verified: [1, 2, 3] }));
  });

  it('the same torn card put back is rewritten, never taken as it is', async () => {
    const { upgrade, reader, technician } = await harness();
    technician.stop();
    let torn: VirtualUpgradeCard | undefined;
    let updates = 0;
    reader.wrap = (inner) => ({
      description: inner.description, reset: () => inner.reset(),
      transmit: async (apdu) => {
        if (apdu[1] === 0xd7 && torn === undefined && ++updates === 10) {
          torn = reader.channel.card as VirtualUpgradeCard;
          torn.tearNextWrite(50);
          await inner.transmit(apdu);
          reader.channel.remove();
          throw new GatewayError('CARD_REMOVED', { params: { reader: reader.name } });
        }
        return inner.transmit(apdu);
      },
    });
    const running = upgrade(await packageOf('2.4.0'), (event) => {
      if (event.type === 'waiting' && (event.data as { code?: string }).code === 'UPGRADE_CARD_REINSERT') {
        setTimeout(() => {
          reader.channel.insert(torn!);
          technician.start();
        }, 30);
      }
    });
    reader.channel.insert(new VirtualUpgradeCard({ capacity: CAPACITY }));
    const { job } = await running;
    expect(job.state).toBe('succeeded');
    const header = readUpgradeCardHeader(torn!.area);
    expect(header.ok && header.header.part).toBe(1);
  });

  it('a fiscal card in the reader is never written: the job asks for an upgrade card instead', async () => {
    const fiscal = createMatchingCardSet().fiscal;
    const { upgrade, channel } = await harness({ firstCard: fiscal });
    const { job, events } = await upgrade(await packageOf('2.4.0'), (event) => {
      if (event.type === 'waiting' && (event.data as { code?: string }).code === 'UPGRADE_CARD_NOT_BLANK_CARD') setTimeout(() => channel.remove(), 20);
    });
    expect(job.state).toBe('succeeded');
    expect(waitingCodes(events)).toContain('UPGRADE_CARD_NOT_BLANK_CARD');
    // No UPDATE BINARY and no VERIFY ever reached the fiscal card; its PIN tries are untouched.
    expect(fiscal.pinTriesLeft).toBe(3);
  });

  it('a job waiting for a blank card can be cancelled: the register is not touched while cards are written', async () => {
    const { upgrade, technician, channel, jobs, register } = await harness();
    technician.stop();
    channel.remove();
    const { job } = await upgrade(await packageOf('2.4.0'), (event, jobId) => {
      if (event.type === 'waiting' && (event.data as { code?: string }).code === 'UPGRADE_CARD_INSERT') jobs.cancel(jobId, 'li');
    });
    expect(job.state).toBe('cancelled');
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
  });

  it('a package needing more cards than allowed is refused before anything is written (exit 3)', async () => {
    const { upgrade, boxed } = await harness({ transfer: { maxCards: 2 } });
    const { job } = await upgrade(await packageOf('2.4.0'));
    expect(job).toMatchObject({ state: 'failed', error: { code: 'UPGRADE_CARD_TOO_MANY_CARDS', params: { cards: 3, max: 2 } } });
    expect(boxed.every((c) => c.writes === 0)).toBe(true);
  });

  it('a card that reads back wrong three times fails the job, the register untouched', async () => {
    const { upgrade, reader, register } = await harness();
    reader.wrap = (inner) => ({
      description: inner.description, reset: () => inner.reset(),
      transmit: async (apdu) => {
        const response = await inner.transmit(apdu);
        // A reader that garbles every read of the data area.
        if (apdu[1] === 0xb1 && response.length > 200) response[100] = response[100]! ^ 0xff;
        return response;
      },
    });
    const { job } = await upgrade(await packageOf('2.4.0'));
    expect(job).toMatchObject({ state: 'failed', error: { code: 'UPGRADE_CARD_WRITE_FAILED', params: { part: 1, attempts: 3 } } });
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
  });

  it('a register that does not trust the key refuses the cards: its report (64/0A) ends the wait at once, UPGRADE_CARD_REFUSED (exit 3)', async () => {
    // The deadline is far: only the register's report can end the job in time.
    const { upgrade, register, technician } = await harness({ trusted: false, transfer: { handoverMs: 600_000 } });
    const { job } = await upgrade(await packageOf('2.4.0'));
    expect(job).toMatchObject({ state: 'failed', error: { code: 'UPGRADE_CARD_REFUSED', params: { running: '2.3.1' }, data: { registerReason: 'signature' } } });
    expect(technician.moves.some((m) => m.includes('refused'))).toBe(true);
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
    expect(register.simulator.firmware.mediaReport).toMatchObject({ state: 'refused', source: 'ic-card', reason: 'signature' });
  });

  it('cards that never reach the register: the job looks again after the deadline and fails UPGRADE_CARD_NOT_INSTALLED, old version working', async () => {
    // Nothing reboots here: a short reboot allowance only shortens the one look after the deadline.
    const { upgrade, register, technician } = await harness({ transfer: { handoverMs: 300 }, rebootMs: 500 });
    const { job } = await upgrade(await packageOf('2.4.0'), (event) => {
      if (event.type === 'waiting' && (event.data as { code?: string }).code === 'UPGRADE_CARD_HANDOVER') technician.stop();
    });
    expect(job).toMatchObject({ state: 'failed', error: { code: 'UPGRADE_CARD_NOT_INSTALLED', params: { target: '2.4.0', running: '2.3.1' } } });
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
  });
});
