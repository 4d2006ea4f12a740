import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isGatewayError } from '../../../contracts/errors/index.js';
import type { InvoiceRecord, RecordCounts } from '../../../protocols/gb-link/index.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { transceive } from '../../../protocols/apdu/index.js';
import { applicationNameBytes, decodeExact, fileId, fiscalEf02Layout, readBinary, selectByFileId, selectByName } from '../../../protocols/gb18240-card/index.js';

/**
 * RegisterSession against engineer E's register simulator (fixtures/simulator), untimed, over the
 * memory pair: the two sides were written from SPEC.md independently, so this checks the spec too.
 */
describe('RegisterSession against the register simulator', () => {
  let sim: SimulatedRegister;
  let session: RegisterSession;
  let counts: RecordCounts;
  let truth: InvoiceRecord[];

  beforeAll(async () => {
    sim = await createSimulatedRegister({ history: { days: 25, invoicesPerDay: 15 }, timing: { timed: false } });
    session = await RegisterSession.open(sim.transport, { deviceId: 'sim', replyTimeoutMs: 60, interByteGapMs: 10, settleMs: 20, retries: 4 });
    counts = await session.recordCounts();
    truth = [];
    for await (const page of session.invoicesByIndex({ from: 1, count: counts.invoices }, { pageSize: 128 })) truth.push(...page);
  });

  afterAll(async () => {
    await session.close();
    await sim.close();
  });

  it('identifies the register and reads its state', async () => {
    await session.connect();
    const factory = await session.factoryData();
    expect(factory.machineNumber).toMatch(/^\d{16}$/);
    const status = await session.status();
    expect(status.initialized).toBe(true);
    expect(status.invoiceCount).toBe(counts.invoices);
    const info = await session.userInfo();
    expect(info.taxpayerNumber).toMatch(/^\d{16}$/);
    expect((await session.taxItems()).length).toBeGreaterThan(0);
  });

  it('runs the card layer unchanged through the register slot: the fiscal card names this machine', async () => {
    const fiscal = session.cardChannel('fiscal');
    expect(fiscal.description.kind).toBe('register-slot');
    expect((await fiscal.reset()).length).toBeGreaterThan(1);
    expect((await transceive(fiscal, selectByName(applicationNameBytes('fiscal')))).sw).toBe(0x9000);
    expect((await transceive(fiscal, selectByFileId(fileId(2)))).sw).toBe(0x9000);
    const ef02 = await transceive(fiscal, readBinary(0, 103));
    expect(ef02.sw).toBe(0x9000);
    expect(decodeExact(fiscalEf02Layout, ef02.data).machineNumber).toBe((await session.factoryData()).machineNumber);
  });

  it('reads every invoice by position, each exactly once and in order', () => {
    expect(counts.invoices).toBeGreaterThanOrEqual(300); // the fault runs read positions 101–300
    expect(truth.length).toBe(counts.invoices);
    expect(truth.map((r) => r.seq)).toEqual(Array.from({ length: counts.invoices }, (_, i) => i + 1));
  });

  it('reads the daily records the register counts', async () => {
    const info = await session.userInfo();
    const today = (await session.dateTime()).slice(0, 10);
    const days = [];
    for await (const page of session.dailyRecords({ from: info.initializationDate, to: today })) days.push(...page);
    expect(days.length).toBe(counts.dailyRecords);
  });

  it('under random drops and corruption in both directions, returns the right invoices or a typed error, never a wrong result', async () => {
    const outcomes = { ok: 0, failed: 0 };
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.constantFrom('drop', 'corrupt'),
      fc.constantFrom('tx', 'rx', 'both'),
      fc.double({ min: 0.0002, max: 0.002, noNaN: true }),
      async (seed, kind, direction, probability) => {
        sim.simulator.faults.set({ seed, faults: [{ kind, direction, probability }] });
        const got: InvoiceRecord[] = [];
        try {
          for await (const page of session.invoicesByIndex({ from: 101, count: 200 }, { pageSize: 50 })) got.push(...page);
          outcomes.ok++;
          expect(got).toEqual(truth.slice(100, 300));
        } catch (error) {
          expect(isGatewayError(error), String(error)).toBe(true);
          outcomes.failed++;
          expect(got).toEqual(truth.slice(100, 100 + got.length));
        } finally {
          sim.simulator.faults.clear();
        }
      },
    ), { numRuns: 6 });
    // With these rates the session should pull through nearly always; all typed errors would hide a bug.
    expect(outcomes.ok).toBeGreaterThan(0);
  });
});
