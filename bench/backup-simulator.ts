// Backup of a simulated register with two years of history over a real serial line: a socat pty pair,
// the simulator as its own process on one end (fixtures/simulator/serve.ts, its line model on), the
// gateway's SerialTransport + RegisterSession + openRegisterBackupPort on the other.
// Prints records per second and the ratio of the bytes moved (both directions) to what the line could
// carry in the same time at the simulator's baud rate (8N1: baud / 10 bytes per second).
// Then the same backup as the daemon makes it, after GB link 71 to the fastest rate both ends offer.
// BENCH_BACKUP_DAYS (730), BENCH_BACKUP_PER_DAY (5 invoices), BENCH_BACKUP_BAUD (115200) change the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { SerialTransport } from '../drivers/serial/SerialTransport.js';
import { withBulkBaud } from '../src/daemon/bulkBaud.js';
import { RegisterSession } from '../src/devices/RegisterSession.js';
import { BackupStore } from '../src/services/backup/BackupStore.js';
import { collectBackup } from '../src/services/backup/collectBackup.js';
import { openRegisterBackupPort } from '../src/services/backup/registerBackupPort.js';
import { socatMissingReason, startPtyPair } from '../test/helpers/socat.js';

const root = resolve(import.meta.dirname, '..');
const DAYS = Number(process.env.BENCH_BACKUP_DAYS ?? 730);
const PER_DAY = Number(process.env.BENCH_BACKUP_PER_DAY ?? 5);
const BAUD = Number(process.env.BENCH_BACKUP_BAUD ?? 115200);

interface Ready { event: 'ready'; pid: number; baud: number; invoices: number; dailyRecords: number; declarations: number; rolls: number }

/** Starts serve.ts on `port` and resolves with its ready line. */
function serveSimulator(port: string): Promise<{ child: ChildProcess; ready: Ready }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [
      join(root, 'bin', 'run-ts.js'), join(root, 'fixtures', 'simulator', 'serve.ts'),
      '--port', port, '--baud', String(BAUD), '--days', String(DAYS), '--invoices-per-day', String(PER_DAY), '--seed', '7',
    ], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    child.once('exit', (code) => reject(new Error(`serve.ts exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const ready = JSON.parse(line) as Ready;
      if (ready.event !== 'ready') reject(new Error(`serve.ts said ${line}`));
      else resolveStart({ child, ready });
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolveStop());
    process.kill(child.pid!, 'SIGTERM');
  });
}

export async function main(): Promise<void> {
  const missing = socatMissingReason();
  if (missing !== undefined) {
    console.log(`   skipped: ${missing}`);
    return;
  }
  const pty = await startPtyPair();
  const folder = await mkdtemp(join(tmpdir(), 'fg-bench-backup-'));
  let simulator: ChildProcess | undefined;
  try {
    const served = await serveSimulator(pty.b);
    simulator = served.child;
    const transport = new SerialTransport({ path: pty.a, baudRate: BAUD });
    const session = await RegisterSession.open(transport, { deviceId: 'bench' });
    try {
      const store = new BackupStore(join(folder, 'backups'));
      const { ready } = served;
      const measure = async (label: string, backup: () => Promise<Awaited<ReturnType<typeof collectBackup>>>) => {
        const before = session.traffic;
        const started = performance.now();
        const { manifest } = await backup();
        const seconds = (performance.now() - started) / 1000;
        const records = Object.values(manifest.kinds).reduce((sum, kind) => sum + kind.records, 0);
        const moved = session.traffic.bytesIn - before.bytesIn + session.traffic.bytesOut - before.bytesOut;
        const baud = label === 'line' ? BAUD : bulkBaud;
        const ratio = moved / (seconds * (baud / 10));
        const counts = ready.invoices === manifest.kinds.invoices?.records && ready.dailyRecords === manifest.kinds.daily?.records;
        console.log(`   [${label} ${baud} baud] ${records} records in ${seconds.toFixed(1)} s${counts ? '' : ' (COUNTS DIFFER)'}`
          + `${manifest.problems.length > 0 ? `, ${manifest.problems.length} problems` : ''}`);
        console.log(`   [${label} ${baud} baud] records per second: ${(records / seconds).toFixed(0)}`);
        console.log(`   [${label} ${baud} baud] bytes moved / line-rate limit: ${ratio.toFixed(3)} (${moved} bytes over ${seconds.toFixed(1)} s; line ${baud / 10} B/s)`);
      };
      console.log(`   ${DAYS} days, ${ready.invoices} invoices, ${ready.dailyRecords} daily, ${ready.declarations} declarations, ${ready.rolls} rolls, over a socat pty`);
      let bulkBaud = BAUD;
      await measure('line', async () => collectBackup(await openRegisterBackupPort(session, { deviceId: 'bench' }), store));
      await measure('bulk', () => withBulkBaud(session, async () => {
        bulkBaud = transport.baudRate;
        return collectBackup(await openRegisterBackupPort(session, { deviceId: 'bench' }), store);
      }));
    } finally {
      await session.close();
    }
  } finally {
    if (simulator !== undefined) await stopProcess(simulator);
    await pty.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
