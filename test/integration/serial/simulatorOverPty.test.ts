import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import type { InvoiceRecord, RecordCounts } from '../../../protocols/gb-link/index.js';
import { SerialTransport } from '../../../drivers/serial/SerialTransport.js';
import { RegisterSession, type RegisterSessionOptions } from '../../../src/devices/RegisterSession.js';
import { prepareSimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { socatMissingReason, startPtyPair, type PtyPair } from '../../helpers/socat.js';
import { startSimulatorProcess, type SimulatorProcess } from './simulatorProcess.js';

const missing = socatMissingReason();

/** A year of sales, a little over 10 000 invoices. */
const seed = 11;
const history = { days: 365, invoicesPerDay: 31 };
const sessionOptions: RegisterSessionOptions = { deviceId: 'pty-sim', replyTimeoutMs: 1500, interByteGapMs: 50, settleMs: 200, retries: 4 };

/** What the wire may say about an invoice, from the simulator's own memory: position, number, kind, total. */
function essentials(records: readonly InvoiceRecord[]): string[] {
  return records.map((record) => `${record.seq} ${record.invoiceNumber} ${record.type} ${record.total}`);
}

describe.skipIf(missing !== undefined)(`register simulator process over a socat pty${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let pty: PtyPair;
  let simulator: SimulatorProcess;
  let transport: SerialTransport;
  let session: RegisterSession;
  let counts: RecordCounts;
  let truth: InvoiceRecord[];

  async function readInvoices(from: number, count: number, got: InvoiceRecord[], pageSize = 200): Promise<void> {
    for await (const page of session.invoicesByIndex({ from, count }, { pageSize })) got.push(...page);
  }

  beforeAll(async () => {
    pty = await startPtyPair();
    simulator = await startSimulatorProcess([
      '--port', pty.b, '--baud', '115200', '--seed', String(seed),
      '--days', String(history.days), '--invoices-per-day', String(history.invoicesPerDay), '--untimed',
    ]);
    transport = new SerialTransport({ path: pty.a, baudRate: 115200 });
    session = await RegisterSession.open(transport, sessionOptions);
    counts = await session.recordCounts();
    truth = [];
  });

  afterAll(async () => {
    await session?.close();
    await simulator?.stop();
    await pty?.stop();
  });

  it('reads the factory data the simulator process announced', async () => {
    await session.connect();
    const factory = await session.factoryData();
    expect(factory.machineNumber).toBe(simulator.ready.machineNumber);
    expect(factory.model).toBe(simulator.ready.model);
    expect(factory.firmwareVersion).toBe(simulator.ready.firmwareVersion);
  });

  it('reads the status of an initialized register with its counts', async () => {
    const status = await session.status();
    expect(status.initialized).toBe(true);
    expect(status.invoiceCount).toBe(simulator.ready.invoices);
    expect(counts.invoices).toBe(simulator.ready.invoices);
  });

  it('reads a year of daily records', async () => {
    const info = await session.userInfo();
    const today = (await session.dateTime()).slice(0, 10);
    const days = [];
    for await (const page of session.dailyRecords({ from: info.initializationDate, to: today })) days.push(...page);
    expect(days.length).toBe(counts.dailyRecords);
    expect(days.length).toBeGreaterThanOrEqual(history.days);
    const dates = days.map((day) => day.date);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
  });

  it('reads 10 000 invoices, each once and in order, as the simulator holds them', async () => {
    expect(counts.invoices).toBeGreaterThanOrEqual(10_000);
    await readInvoices(1, 10_000, truth);
    expect(truth.map((record) => record.seq)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));

    // The same seed prepared in this process: the register's memory the process was seeded with.
    const reference = prepareSimulatedRegister({ seed, defaultBaud: 115200, history }).state.fiscal.invoices.slice(0, 10_000);
    const kinds: Record<string, string> = { normal: 'normal', return: 'return', void: 'void' };
    expect(essentials(truth)).toEqual(reference.map((record, i) => `${i + 1} ${record.number} ${kinds[record.kind] ?? record.kind} ${record.total}`));
  });

  it('under drops and corruption on the line, gives the right invoices or a typed error, never a wrong result', async () => {
    // Faults cost a reply timeout each: from here on, a session that gives up sooner.
    await session.close();
    transport = new SerialTransport({ path: pty.a, baudRate: 115200 });
    session = await RegisterSession.open(transport, { ...sessionOptions, replyTimeoutMs: 300, settleMs: 100, retries: 3, packetRetries: 2 });
    const outcomes = { ok: 0, failed: 0 };
    const plans = [
      { kind: 'drop', direction: 'tx', probability: 0.0003 },
      { kind: 'corrupt', direction: 'both', probability: 0.0003 },
      { kind: 'drop', direction: 'rx', probability: 0.002 },
    ];
    for (const [index, fault] of plans.entries()) {
      await simulator.control({ faults: { seed: 100 + index, faults: [fault] } });
      const got: InvoiceRecord[] = [];
      try {
        await readInvoices(2001, 200, got, 50);
        outcomes.ok++;
        expect(essentials(got)).toEqual(essentials(truth.slice(2000, 2200)));
        expect(got).toEqual(truth.slice(2000, 2200));
      } catch (error) {
        expect(isGatewayError(error), String(error)).toBe(true);
        outcomes.failed++;
        expect(got).toEqual(truth.slice(2000, 2000 + got.length));
      } finally {
        await simulator.control({ clearFaults: true });
      }
    }
    expect(outcomes.ok).toBeGreaterThan(0);
  }, 90_000);

  it('on a link cut mid-read, fails with a typed error after only right invoices, and reads again once the link is back', async () => {
    await simulator.control({ faults: { seed: 7, faults: [{ kind: 'cut', at: 20_000, mode: 'silence' }] } });
    const got: InvoiceRecord[] = [];
    const failure = await readInvoices(1, 1000, got).then(() => undefined, (error: unknown) => error);
    expect(isGatewayError(failure), String(failure)).toBe(true);
    expect(got.length).toBeLessThan(1000);
    expect(got).toEqual(truth.slice(0, got.length));

    await simulator.control({ clearFaults: true });
    await simulator.control({ restoreLink: true });
    const again: InvoiceRecord[] = [];
    await readInvoices(9001, 1000, again);
    expect(again).toEqual(truth.slice(9000, 10_000));
  }, 90_000);
});
