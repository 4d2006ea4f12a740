import { describe, expect, it } from 'vitest';
import { connect } from '../../../protocols/gb-link/payloads/identity.js';
import { switchBaud } from '../../../protocols/gb-link/payloads/identity.js';
import { invoicesByIndex } from '../../../protocols/gb-link/payloads/records.js';
import { selfChecks } from '../../../protocols/gb-link/payloads/selfCheck.js';
import { lineDurationMs, byteDurationMs } from '../../../fixtures/simulator/SimulatedLine.js';
import { MAX_REPLY_DATA } from '../../../protocols/gb-link/frame.js';
import { startHarness } from './simulatorHarness.js';

describe('line model', () => {
  it('a byte takes 10 bit times', () => {
    expect(byteDurationMs(9600)).toBeCloseTo(1.0416667, 6);
    expect(lineDurationMs(11_520, 115_200)).toBeCloseTo(1000, 9);
  });

  it('an exchange takes the command bytes, the turnaround and the answer bytes at the line rate', async () => {
    const { link, clock, host } = await startHarness({ simulator: { timing: { turnaroundMs: 3 } } });
    const arrivals: number[] = [];
    host.onData(() => arrivals.push(clock.now()));
    const start = clock.now();
    await link.call(connect, undefined);
    // 00 is 7 bytes out (1B 10 00 00 05 + CRC), OK is 6 bytes back (4F 4B 00 04 + CRC).
    expect(arrivals.at(-1)! - start).toBeCloseTo(lineDurationMs(7 + 6, 9600) + 3, 2);
  });

  it('reading 1000 invoices at 115200 takes the line time of every byte plus one turnaround per packet', async () => {
    const { sim, link, clock } = await startHarness({ history: { days: 90, invoicesPerDay: 18 }, simulator: { timing: { turnaroundMs: 1 } } });
    await link.call(switchBaud, { baud: 115200 });
    await new Promise((resolve) => setImmediate(resolve));
    const before = { ...sim.line.stats };
    const start = clock.now();
    const packetsBefore = link.received.length;
    const invoices = await link.call(invoicesByIndex, { from: 1, count: 1000 });
    const elapsed = clock.now() - start;
    expect(invoices).toHaveLength(1000);
    const bytes = sim.line.stats.txBytes - before.txBytes + sim.line.stats.rxBytes - before.rxBytes;
    const packets = link.received.length - packetsBefore;
    expect(packets).toBe(Math.ceil((4 + 68 * 1000) / MAX_REPLY_DATA));
    expect(elapsed).toBeCloseTo(lineDurationMs(bytes, 115200) + packets * 1, 1);
    // The answer alone is 68 004 data bytes: more than 5.9 s of line at 115200.
    expect(elapsed).toBeGreaterThan(lineDurationMs(68_004, 115200));
  });

  it('the same exchange is 12 times faster after a switch from 9600 to 115200', async () => {
    const { link, clock } = await startHarness({ simulator: { timing: { turnaroundMs: 0 } } });
    let start = clock.now();
    await link.call(connect, undefined);
    const slow = clock.now() - start;
    await link.call(switchBaud, { baud: 115200 });
    await new Promise((resolve) => setImmediate(resolve));
    start = clock.now();
    await link.call(connect, undefined);
    const fast = clock.now() - start;
    expect(slow / fast).toBeCloseTo(12, 1);
  });

  it('sends WT frames while busy longer than the busy interval', async () => {
    const { link } = await startHarness({ simulator: { timing: { selfCheckMs: 200, busyIntervalMs: 250 } } });
    const outcome = await link.request(selfChecks.cycle.code);
    expect(outcome.kind).toBe('ok');
    // 5 × 200 ms of work: WT at 0, 250, 500 and 750 ms.
    expect(outcome.busyFrames).toBe(4);
    const quick = await link.request(selfChecks.cpu.code);
    expect(quick.busyFrames).toBe(0);
  });

  it('answers at once and spends no line time when untimed', async () => {
    const { sim, link, clock } = await startHarness({ simulator: { timing: { timed: false } } });
    const start = clock.now();
    await link.call(connect, undefined);
    expect(clock.now()).toBe(start);
    expect(sim.line.stats.txBytes).toBe(6);
  });
});

describe('baud switch (71)', () => {
  it('keeps the new rate when a frame arrives within 2 s, and falls back when none did', async () => {
    const { sim, link, clock } = await startHarness({ simulator: { timing: { timed: false } } });
    await link.call(switchBaud, { baud: 115200 });
    await new Promise((resolve) => setImmediate(resolve));
    await link.call(connect, undefined);
    expect(sim.line.baud).toBe(115200);
    await link.call(switchBaud, { baud: 921600 });
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(2500);
    await link.call(connect, undefined);
    expect(sim.line.baud).toBe(115200);
  });
});
