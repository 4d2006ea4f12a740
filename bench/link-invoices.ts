// Reads 10 000 invoices (GB link 3F, by position) from the register simulator running as its own process on
// one end of a socat pty pair, the line modelled at 115 200 baud, through SerialTransport and RegisterSession.
// Prints the time as a ratio of the line-rate limit for the bytes moved both ways (bytes × 10 / baud):
// 1.00 would be a line never idle; the rest is turnaround, paging requests and the host's own work.
import { pathToFileURL } from 'node:url';
import { SerialTransport } from '../drivers/serial/SerialTransport.js';
import { RegisterSession } from '../src/devices/RegisterSession.js';
import { startPtyPair } from '../test/helpers/socat.js';
import { startSimulatorProcess } from '../test/integration/serial/simulatorProcess.js';

const BAUD = 115_200;
const INVOICES = Number(process.env.BENCH_INVOICES ?? 10_000);
const PAGE_SIZE = 256;

export async function main(): Promise<void> {
  const pty = await startPtyPair();
  const perDay = Math.ceil(INVOICES / 300) + 2;
  const simulator = await startSimulatorProcess(['--port', pty.b, '--baud', String(BAUD), '--days', '365', '--invoices-per-day', String(perDay), '--seed', '3'], 120_000);
  const transport = new SerialTransport({ path: pty.a, baudRate: BAUD });
  const session = await RegisterSession.open(transport, { deviceId: 'bench' });
  try {
    const available = (await session.recordCounts()).invoices;
    const count = Math.min(INVOICES, available);
    const before = session.traffic;
    const started = process.hrtime.bigint();
    let read = 0;
    for await (const page of session.invoicesByIndex({ from: 1, count }, { pageSize: PAGE_SIZE })) read += page.length;
    const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
    const after = session.traffic;
    const bytesIn = after.bytesIn - before.bytesIn;
    const bytesOut = after.bytesOut - before.bytesOut;
    const limitS = ((bytesIn + bytesOut) * 10) / BAUD;
    console.log(`   ${read} invoices over a pty at ${BAUD} baud (simulator process, timed line), pages of ${PAGE_SIZE}`);
    console.log(`   bytes in ${bytesIn}, out ${bytesOut}; line-rate limit ${limitS.toFixed(2)} s, measured ${elapsedS.toFixed(2)} s`);
    console.log(`   ratio to the line-rate limit: ${(elapsedS / limitS).toFixed(3)}`);
  } finally {
    await session.close();
    await simulator.stop();
    await pty.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
