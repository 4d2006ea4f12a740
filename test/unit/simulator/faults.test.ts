import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { connect, factoryData } from '../../../protocols/gb-link/payloads/identity.js';
import { firmwareBegin, firmwareQuery, firmwareVerify, firmwareWrite, firmwareActivate } from '../../../protocols/gb-link/payloads/firmware.js';
import { encodeCommandFrame } from '../../../protocols/gb-link/frame.js';
import { ER } from '../../../protocols/gb-link/errorCodes.js';
import { CMD } from '../../../protocols/gb-link/commandCodes.js';
import { lineDurationMs } from '../../../fixtures/simulator/SimulatedLine.js';
import { FaultPlan } from '../../../fixtures/simulator/faults.js';
import { startHarness } from './simulatorHarness.js';
import { isGatewayError } from '../../../contracts/errors/index.js';

const untimed = { simulator: { timing: { timed: false } } };
const connectFrame = encodeCommandFrame(CMD.CONNECT, 0);

async function settle(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('fault injection', () => {
  it('drops a byte at an exact position: the answer is lost, the next one gets through', async () => {
    const { sim, link } = await startHarness({ ...untimed, simulator: { timing: { timed: false }, faults: { faults: [{ kind: 'drop', at: [2] }] } } });
    await link.sendRaw(connectFrame);
    await settle();
    expect(link.received).toEqual([]);
    expect(sim.faults.counters.dropped).toBe(1);
    link.idle();
    await link.call(connect, undefined);
  });

  it('corrupts a byte at an exact position: the host sees a bad CRC, never a wrong value', async () => {
    const { sim, link } = await startHarness({ simulator: { timing: { timed: false }, faults: { faults: [{ kind: 'corrupt', at: [20], xor: 0x01 }] } } });
    await link.sendRaw(encodeCommandFrame(CMD.FACTORY_DATA, 0));
    await settle();
    expect(link.received).toEqual([]);
    expect(sim.faults.counters.corrupted).toBe(1);
    link.idle();
    expect((await link.call(factoryData, undefined)).machineNumber).toBe(sim.state.identity.machineNumber);
  });

  it('a corrupted command byte is answered with ER 1F', async () => {
    const { link } = await startHarness({ simulator: { timing: { timed: false }, faults: { faults: [{ kind: 'corrupt', direction: 'rx', at: [2] }] } } });
    await link.sendRaw(connectFrame);
    expect(await link.next()).toEqual({ kind: 'error', code: ER.CRC_ERROR });
  });

  it('random faults are reproducible from the seed', async () => {
    const run = async (seed: number) => {
      const { sim, host } = await startHarness({ simulator: { timing: { timed: false }, faults: { seed, faults: [{ kind: 'corrupt', probability: 0.05 }, { kind: 'drop', probability: 0.02 }] } } });
      const bytes: number[] = [];
      host.onData((chunk) => bytes.push(...chunk));
      for (let i = 0; i < 40; i++) {
        await host.write(encodeCommandFrame(CMD.FACTORY_DATA, 0));
        await settle(4);
      }
      return { bytes, counters: { ...sim.faults.counters } };
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(a.counters.corrupted + a.counters.dropped).toBeGreaterThan(0);
    expect(b).toEqual(a);
    expect(c.bytes).not.toEqual(a.bytes);
  });

  it('delays a byte by the given time', async () => {
    const { link, clock } = await startHarness({ simulator: { timing: { turnaroundMs: 0 }, faults: { faults: [{ kind: 'delay', at: [3], ms: 400 }] } } });
    const start = clock.now();
    await link.call(connect, undefined);
    expect(clock.now() - start).toBeCloseTo(lineDurationMs(13, 9600) + 400, 2);
  });

  it('cuts the link at byte N (silence): nothing crosses until it is restored', async () => {
    const { sim, link, host } = await startHarness({ simulator: { timing: { timed: false }, faults: { faults: [{ kind: 'cut', at: 8 }] } } });
    const bytes: number[] = [];
    host.onData((chunk) => bytes.push(...chunk));
    await link.call(connect, undefined);
    await link.sendRaw(connectFrame);
    await settle();
    await link.sendRaw(connectFrame);
    await settle();
    expect(bytes.length).toBe(8);
    expect(sim.line.isDead).toBe(true);
    sim.restoreLink();
    link.idle();
    await link.sendRaw(encodeCommandFrame(CMD.STATUS, 0));
    await settle();
    expect(link.received.some((f) => f.kind === 'ok' && f.data.length === 52)).toBe(true);
  });

  it('cuts the link at byte N (close): the host sees its transport close with an error', async () => {
    const { link, host } = await startHarness({ simulator: { timing: { timed: false }, faults: { faults: [{ kind: 'cut', at: 2, mode: 'close' }] } } });
    const closed = new Promise<Error | undefined>((resolve) => host.onClose(resolve));
    await link.sendRaw(connectFrame);
    const reason = await closed;
    expect(isGatewayError(reason, 'TRANSPORT_UNPLUGGED')).toBe(true);
    expect(isGatewayError(reason) && reason.params).toEqual({ path: host.description.path });
  });

  it('loses power during a firmware write: the slot is half-written, the old image boots, the upgrade resumes', async () => {
    const image = Uint8Array.from({ length: 6000 }, (_, i) => (i * 13 + 5) & 0xff);
    const sha256 = Uint8Array.from(createHash('sha256').update(image).digest());
    const { sim, link } = await startHarness({
      simulator: { timing: { turnaroundMs: 1 }, faults: { faults: [{ kind: 'power-loss', during: 'firmware-write', after: 1, fraction: 0.5, offMs: 300 }] } },
    });
    const header = { size: image.length, sha256, version: '3.0.0', model: 'SIM-ECR-200' };
    await link.call(firmwareBegin, header);
    await link.call(firmwareWrite, { offset: 0, data: image.subarray(0, 2048) });
    const events: string[] = [];
    const booted = new Promise<void>((resolve) => sim.onEvent((e) => {
      events.push(e.type);
      if (e.type === 'boot') resolve();
    }));
    const seen = link.received.length;
    void link.request(CMD.FIRMWARE, firmwareWrite.request.encode({ offset: 2048, data: image.subarray(2048, 4096) }));
    await booted;
    expect(link.received.slice(seen).map((f) => f.kind)).toEqual(['next', 'next', 'next', 'next', 'next', 'next', 'next', 'next']);
    link.idle();
    expect(events).toEqual(['power-off', 'boot']);
    const staged = sim.state.firmware.staged!;
    expect(staged).toMatchObject({ committed: 2048, torn: true, ready: false });
    sim.firmware.flush();
    expect(Buffer.from(staged.data, 'base64').length).toBe(2048 + 1024);
    expect((await link.call(factoryData, undefined)).firmwareVersion).toBe('2.3.1');
    expect(await link.call(firmwareQuery, undefined)).toMatchObject({ state: 'receiving', received: 2048 });
    const resume = await link.call(firmwareBegin, header);
    expect(resume.resumeOffset).toBe(2048);
    for (let offset = resume.resumeOffset; offset < image.length; offset += 2048) {
      await link.call(firmwareWrite, { offset, data: image.subarray(offset, offset + 2048) });
    }
    expect(await link.call(firmwareVerify, undefined)).toEqual({ sha256 });
    const activated = new Promise<void>((resolve) => sim.onEvent((e) => { if (e.type === 'boot') resolve(); }));
    await link.call(firmwareActivate, undefined);
    await activated;
    expect((await link.call(factoryData, undefined)).firmwareVersion).toBe('3.0.0');
    expect(sim.faults.counters.powerLosses).toBe(1);
  });

  it('validates fault plans', () => {
    expect(FaultPlan.safeParse({ faults: [{ kind: 'drop', probability: 2 }] }).success).toBe(false);
    expect(FaultPlan.safeParse({ faults: [{ kind: 'teleport' }] }).success).toBe(false);
    expect(FaultPlan.parse({ faults: [{ kind: 'cut', at: 5 }] }).faults[0]).toEqual({ kind: 'cut', at: 5, direction: 'tx', mode: 'silence' });
  });
});

describe('fault specs from the command line', () => {
  it('parses every kind and refuses nonsense with BAD_REQUEST', async () => {
    const { parseFaultSpec } = await import('../../../fixtures/simulator/parseFaultSpec.js');
    expect(parseFaultSpec('drop:p=0.001')).toEqual({ kind: 'drop', probability: 0.001, direction: 'tx', at: [] });
    expect(parseFaultSpec('corrupt:at=100,200:dir=rx')).toMatchObject({ kind: 'corrupt', at: [100, 200], direction: 'rx' });
    expect(parseFaultSpec('delay:p=0.01:ms=50')).toMatchObject({ kind: 'delay', probability: 0.01, ms: 50 });
    expect(parseFaultSpec('cut:at=5000:mode=close')).toMatchObject({ kind: 'cut', at: 5000, mode: 'close' });
    expect(parseFaultSpec('power-loss:during=firmware-write:after=3:fraction=0.5')).toMatchObject({ kind: 'power-loss', after: 3, fraction: 0.5 });
    expect(parseFaultSpec('power-loss:after=3:into=bootloader')).toMatchObject({ kind: 'power-loss', after: 3, bootsInto: 'bootloader' });
    expect(parseFaultSpec('power-loss:after=3')).toMatchObject({ bootsInto: 'application' });
    for (const bad of ['explode', 'drop:p=2', 'drop:speed=3', 'cut', 'power-loss:into=nowhere']) {
      expect(() => parseFaultSpec(bad)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    }
  });
});
