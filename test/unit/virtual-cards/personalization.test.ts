import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import {
  addDays, cardSetPersonalizations, createMatchingCardSet, loadOrCreateVirtualCard, loadVirtualCard, restoreVirtualCard,
  VirtualCardChannel, VirtualFiscalCard, VirtualUserCard,
} from '../../../fixtures/cards/index.js';
import { CardSession } from '../../../src/devices/CardSession.js';

const directories: string[] = [];
afterEach(() => {
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'virtual-cards-'));
  directories.push(dir);
  return dir;
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isGatewayError(error, 'CARD_PERSONALIZATION_INVALID')) return error.message;
    throw error;
  }
  throw new Error('expected CARD_PERSONALIZATION_INVALID');
}

describe('personalization', () => {
  it('is validated, naming the field', () => {
    const p = cardSetPersonalizations();
    expect(refusal(() => VirtualFiscalCard.create({ ...p.fiscal, machineNumber: '123' }))).toMatch(/machineNumber/);
    expect(refusal(() => VirtualFiscalCard.create({ ...p.fiscal, pin: 'zz' }))).toMatch(/pin/);
    expect(refusal(() => VirtualUserCard.create({ ...p.user, validUntil: '2026-02-30' }))).toMatch(/validUntil/);
    expect(refusal(() => VirtualUserCard.create({ ...p.user, rolls: [{ invoiceCode: '1'.repeat(20), start: 10, end: 5, rollCount: 1 }] }))).toMatch(/rolls/);
  });

  it('refuses a name the card cannot hold, naming the field, when made and when restored', () => {
    const p = cardSetPersonalizations();
    expect(refusal(() => VirtualFiscalCard.create({ ...p.fiscal, taxpayerName: '很'.repeat(21) }))).toMatch(/taxpayerName/);
    expect(refusal(() => VirtualUserCard.create({ ...p.user, taxItems: [{ index: 1, itemCode: '01010100', rate: 1300, nameZh: '很'.repeat(11), nameEn: 'Goods' }] })))
      .toMatch(/nameZh/);
    const snapshot = structuredClone(createMatchingCardSet().fiscal.snapshot()) as { personalization: { taxpayerName: string } };
    snapshot.personalization.taxpayerName = '很'.repeat(21);
    expect(refusal(() => restoreVirtualCard(snapshot))).toMatch(/taxpayerName/);
  });

  it('places the dates of a set around the given day', () => {
    const set = createMatchingCardSet({ today: '2026-03-01' });
    expect(set.today).toBe('2026-03-01');
    expect(set.fiscal.personalization.applicationStart).toBe(addDays('2026-03-01', -365));
    expect(set.fiscal.monitoring.issueDeadline).toBe('2026-03-31');
    expect(set.user.personalization.machines[0]!.machineNumber).toBe(set.machineNumber);
  });

  it('has overrides for each card', () => {
    const set = createMatchingCardSet({ taxpayerName: '北京测试有限公司', fiscal: { pinTries: 5 }, user: { taxItems: [] } });
    expect(set.fiscal.personalization.taxpayerName).toBe('北京测试有限公司');
    expect(set.user.personalization.taxpayerName).toBe('北京测试有限公司');
    expect(set.fiscal.pinTriesLeft).toBe(5);
    expect(set.user.personalization.taxItems).toEqual([]);
  });
});

describe('state that survives a reconnect', () => {
  it('restores a snapshot taken after registration and a distribution', async () => {
    const set = createMatchingCardSet();
    const fiscal = new CardSession(new VirtualCardChannel(set.fiscal));
    const user = new CardSession(new VirtualCardChannel(set.user));
    const pin = await fiscal.terminalRegister(await user.registerSign(await fiscal.getRegisterNb()));
    const roll = await user.distributeInvoiceNb();

    const fiscalAgain = restoreVirtualCard(JSON.parse(JSON.stringify(set.fiscal.snapshot())));
    const userAgain = restoreVirtualCard(JSON.parse(JSON.stringify(set.user.snapshot())));
    const fiscal2 = new CardSession(new VirtualCardChannel(fiscalAgain));
    const user2 = new CardSession(new VirtualCardChannel(userAgain));
    expect((await fiscal2.readFiscalRegistration()).state).toBe('registered');
    expect(await user2.readUserLastDistributedRoll()).toEqual(roll);
    const next = await fiscal2.verifyFiscalPin(pin);
    expect(next).toHaveLength(8);
    await fiscal2.inputInvoiceNb(roll);
    expect(await fiscal2.readFiscalRolls()).toHaveLength(1);
  });

  it('refuses a snapshot that is not one', () => {
    expect(refusal(() => restoreVirtualCard({ kind: 'fiscal', format: 'x' }))).toMatch(/format|personalization/);
    expect(refusal(() => restoreVirtualCard(null))).toMatch(/unknown virtual card kind/);
  });

  it('persists to a file after every change and loads from it', async () => {
    const dir = scratch();
    const fiscalPath = join(dir, 'fiscal.json');
    const userPath = join(dir, 'user.json');
    const set = createMatchingCardSet({ fiscalOptions: { persistPath: fiscalPath }, userOptions: { persistPath: userPath } });
    expect(JSON.parse(readFileSync(fiscalPath, 'utf8')).state.registered).toBe(false);

    const fiscal = new CardSession(new VirtualCardChannel(set.fiscal));
    const user = new CardSession(new VirtualCardChannel(set.user));
    await fiscal.terminalRegister(await user.registerSign(await fiscal.getRegisterNb()));
    expect(JSON.parse(readFileSync(fiscalPath, 'utf8')).state.registered).toBe(true);

    const loaded = loadVirtualCard(fiscalPath);
    expect(loaded).toBeInstanceOf(VirtualFiscalCard);
    expect((loaded as VirtualFiscalCard).registered).toBe(true);
    const again = loadOrCreateVirtualCard(userPath, () => {
      throw new Error('the file exists, nothing to create');
    });
    expect(again).toBeInstanceOf(VirtualUserCard);
    const created = loadOrCreateVirtualCard(join(dir, 'new.json'), (options) => VirtualFiscalCard.create(cardSetPersonalizations().fiscal, options));
    expect(JSON.parse(readFileSync(join(dir, 'new.json'), 'utf8')).kind).toBe(created.kind);
  });
});

describe('VirtualCardChannel', () => {
  it('keeps only the latest exchanges in its trace, so a long-running simulated reader does not grow without end', async () => {
    const channel = new VirtualCardChannel(createMatchingCardSet().fiscal);
    for (let i = 0; i < 300; i += 1) await channel.transmit(Uint8Array.of(0x00, 0xb0, 0x00, i & 0xff, 0x01));
    expect(channel.trace.length).toBeLessThanOrEqual(VirtualCardChannel.TRACE_LIMIT);
    expect(channel.trace.at(-1)!.command).toEqual(Uint8Array.of(0x00, 0xb0, 0x00, 299 & 0xff, 0x01));
  });

  it('fails with CARD_REMOVED without a card and works again once it is back', async () => {
    const set = createMatchingCardSet();
    const channel = new VirtualCardChannel(set.fiscal, 'reader-1');
    expect(await channel.reset()).toEqual(set.fiscal.atr);
    const card = channel.remove();
    for (const run of [() => channel.transmit(Uint8Array.of(0, 0xa4, 4, 0)), () => channel.reset()]) {
      try {
        await run();
        expect.unreachable();
      } catch (error) {
        expect(isGatewayError(error, 'CARD_REMOVED')).toBe(true);
      }
    }
    channel.insert(card!);
    expect(await new CardSession(channel).identify()).toBe('fiscal');
    expect(channel.trace.length).toBeGreaterThan(0);
  });
});
