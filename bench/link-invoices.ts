// Reads 10 000 invoices (GB link 3F, by position) from the register simulator running as its own process on
// one end of a socat pty pair, the line modelled at 115 200 baud with the register's default 2 ms turnaround,
// through SerialTransport and RegisterSession: windowed (GB link 74, SPEC.md §10) and stop-and-wait (§3)
// one after the other against the same register, after one unmeasured warm-up read.
// Prints each as a ratio to the line-rate limit for the bytes moved both ways (bytes × 10 / baud over the
// time taken; the two directions are separate wires, so a windowed run's NPs, sent while answers flow, can
// lift it a little above 1), and for the answers (register → host) alone.
import { pathToFileURL } from 'node:url';
import { SerialTransport } from '../drivers/serial/SerialTransport.js';
import { RegisterSession } from '../src/devices/RegisterSession.js';
import { socatMissingReason, startPtyPair } from '../test/helpers/socat.js';
import type { BenchFigure } from './BenchFigure.js';
import { startSimulatorProcess } from '../test/integration/serial/simulatorProcess.js';

const BAUD = 115_200;
const INVOICES = Number(process.env.BENCH_INVOICES ?? 10_000);
const PAGE_SIZE = 256;

interface Run { read: number; bytesIn: number; bytesOut: number; seconds: number }

async function readInvoices(path: string, transferWindow: number | undefined, limit: number): Promise<Run> {
  const transport = new SerialTransport({ path, baudRate: BAUD });
  const session = await RegisterSession.open(transport, { deviceId: 'bench', ...(transferWindow === undefined ? {} : { transferWindow }) });
  try {
    const count = Math.min(limit, (await session.recordCounts()).invoices);
    const before = session.traffic;
    const started = process.hrtime.bigint();
    let read = 0;
    for await (const page of session.invoicesByIndex({ from: 1, count }, { pageSize: PAGE_SIZE })) read += page.length;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = session.traffic;
    return { read, bytesIn: after.bytesIn - before.bytesIn, bytesOut: after.bytesOut - before.bytesOut, seconds };
  } finally {
    await session.close();
  }
}

interface ModeRun { mode: 'windowed' | 'stop-and-wait'; run: Run; ratio: number; answersRatio: number; limitS: number }

async function measureBoth(): Promise<ModeRun[]> {
  const pty = await startPtyPair();
  const perDay = Math.ceil(INVOICES / 300) + 2;
  const simulator = await startSimulatorProcess(['--port', pty.b, '--baud', String(BAUD), '--days', '365', '--invoices-per-day', String(perDay), '--seed', '3'], 120_000);
  try {
    await readInvoices(pty.a, undefined, 1024);
    const runs: ModeRun[] = [];
    for (const [mode, transferWindow] of [['windowed', undefined], ['stop-and-wait', 0]] as const) {
      const run = await readInvoices(pty.a, transferWindow, INVOICES);
      const limitS = ((run.bytesIn + run.bytesOut) * 10) / BAUD;
      runs.push({ mode, run, limitS, ratio: limitS / run.seconds, answersRatio: (run.bytesIn * 10) / BAUD / run.seconds });
    }
    return runs;
  } finally {
    await simulator.stop();
    await pty.stop();
  }
}

export async function main(): Promise<void> {
  const runs = await measureBoth();
  console.log(`   ${INVOICES} invoices over a pty at ${BAUD} baud (simulator process, timed line, turnaround 2 ms), pages of ${PAGE_SIZE}`);
  for (const { mode, run, limitS, ratio, answersRatio } of runs) {
    console.log(`   [invoices ${BAUD} baud] ${mode.padEnd(14)} ratio to the line-rate limit ${ratio.toFixed(3)}`
      + ` (answers alone ${answersRatio.toFixed(3)}; ${run.read} invoices, in ${run.bytesIn} B, out ${run.bytesOut} B;`
      + ` limit ${limitS.toFixed(2)} s, measured ${run.seconds.toFixed(2)} s)`);
  }
}

export async function figures(): Promise<BenchFigure[]> {
  const missing = socatMissingReason();
  const id = 'link.invoices.115200.ratio';
  const label = `${INVOICES} invoices (GB link 3F) at ${BAUD} baud over a pty, bytes moved over the line-rate limit, windowed`;
  if (missing !== undefined) return [{ id, label, value: null, unit: 'ratio', notMeasured: missing }];
  const runs = await measureBoth();
  const windowed = runs.find((r) => r.mode === 'windowed')!;
  const stopAndWait = runs.find((r) => r.mode === 'stop-and-wait')!;
  return [{
    id, label, value: windowed.ratio, unit: 'ratio', target: { op: '>=', value: 0.9 },
    baseline: `line-rate limit ${BAUD}/10 B/s: ${windowed.limitS.toFixed(2)} s for the bytes moved; stop-and-wait ${stopAndWait.ratio.toFixed(3)}`,
    detail: `answers alone ${windowed.answersRatio.toFixed(3)}, ${windowed.run.read} invoices in ${windowed.run.seconds.toFixed(2)} s`,
  }];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
