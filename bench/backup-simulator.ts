// Backup of a simulated register with two years of history over a real serial line: a socat pty pair,
// the simulator as its own process on one end (fixtures/simulator/serve.ts, its line model on), the
// gateway's SerialTransport + RegisterSession + openRegisterBackupPort on the other.
// Prints the ratio of the bytes moved (both directions) to what the line could carry in the same time at the
// rate in use (8N1: baud / 10 bytes per second), and the answers (register → host) alone against the same limit.
// Then the same backup as the daemon makes it, after GB link 71 to the fastest rate both ends offer. Each
// twice in the same run: windowed (GB link 74, SPEC.md §10) and stop-and-wait (§3), side by side.
// BENCH_BACKUP_DAYS (730), BENCH_BACKUP_PER_DAY (5 invoices), BENCH_BACKUP_BAUD (115200), BENCH_BACKUP_REPEAT (3),
// BENCH_BACKUP_PAGE (1024 records) and BENCH_BACKUP_WINDOW_DAYS (366) change the run; BENCH_BACKUP_MODES
// (windowed,stop-and-wait) and BENCH_BACKUP_RUNS (line,bulk,defaults) pick what is measured, for a quicker look at one figure.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { SerialTransport } from '../drivers/serial/SerialTransport.js';
import { withBulkBaud } from '../src/devices/bulkBaud.js';
import { RegisterSession } from '../src/devices/RegisterSession.js';
import { BackupStore } from '../src/services/backup/BackupStore.js';
import type { CommittedBackup } from '../src/services/backup/BackupWriter.js';
import { collectBackup } from '../src/services/backup/collectBackup.js';
import { openRegisterBackupPort } from '../src/services/backup/registerBackupPort.js';
import { socatMissingReason, startPtyPair } from '../test/helpers/socat.js';
import { SimulatorTiming } from '../fixtures/simulator/SimulatorTiming.js';
import type { BenchFigure } from './BenchFigure.js';

const root = resolve(import.meta.dirname, '..');
const DAYS = Number(process.env.BENCH_BACKUP_DAYS ?? 730);
const PER_DAY = Number(process.env.BENCH_BACKUP_PER_DAY ?? 5);
const BAUD = Number(process.env.BENCH_BACKUP_BAUD ?? 115200);
/** Backups at the bulk rate per mode and page size; the median is reported. */
const REPEAT = Number(process.env.BENCH_BACKUP_REPEAT ?? 3);
/** Page sizes of the measured backups (openRegisterBackupPort options). */
const bulkPages = {
  pageSize: Number(process.env.BENCH_BACKUP_PAGE ?? 1024),
  dailyWindowDays: Number(process.env.BENCH_BACKUP_WINDOW_DAYS ?? 366),
};

const MODES = (process.env.BENCH_BACKUP_MODES ?? 'windowed,stop-and-wait').split(',');
const RUNS = (process.env.BENCH_BACKUP_RUNS ?? 'line,bulk,defaults').split(',');

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

interface Figures { baud: number; seconds: number; records: number; ratio: number; answerRatio: number; complete: boolean; problems: number }

/** What one backup moved, against the line-rate limit at `baud` for the time it took. */
async function measure(session: RegisterSession, baud: () => number, backup: () => Promise<CommittedBackup>, ready: Ready): Promise<Figures> {
  const before = session.traffic;
  const started = performance.now();
  const { manifest } = await backup();
  const seconds = (performance.now() - started) / 1000;
  const records = Object.values(manifest.kinds).reduce((sum, kind) => sum + kind.records, 0);
  const bytesIn = session.traffic.bytesIn - before.bytesIn;
  const moved = bytesIn + session.traffic.bytesOut - before.bytesOut;
  const limit = seconds * (baud() / 10);
  const complete = ready.invoices === manifest.kinds.invoices?.records && ready.dailyRecords === manifest.kinds.daily?.records;
  return { baud: baud(), seconds, records, ratio: moved / limit, answerRatio: bytesIn / limit, complete, problems: manifest.problems.length };
}

function show(label: string, f: Figures): string {
  return `${label.padEnd(14)} ${f.ratio.toFixed(3)} (answers alone ${f.answerRatio.toFixed(3)}), ${f.records} records in ${f.seconds.toFixed(1)} s`
    + `${f.complete ? '' : ' COUNTS DIFFER'}${f.problems > 0 ? `, ${f.problems} problems` : ''}`;
}

type Results = Record<string, { line: Figures[]; bulk: Figures[]; defaults: Figures[] }>;

async function measureBackups(modes: readonly string[], kinds: readonly string[]): Promise<{ ready: Ready; results: Results }> {
  const pty = await startPtyPair();
  const folder = await mkdtemp(join(tmpdir(), 'fg-bench-backup-'));
  let simulator: ChildProcess | undefined;
  try {
    const served = await serveSimulator(pty.b);
    simulator = served.child;
    const { ready } = served;
    const store = new BackupStore(join(folder, 'backups'));
    console.log(`   ${DAYS} days, ${ready.invoices} invoices, ${ready.dailyRecords} daily, ${ready.declarations} declarations, ${ready.rolls} rolls, over a socat pty;`
      + ` register turnaround ${SimulatorTiming.parse({}).turnaroundMs} ms (simulator default)`);
    console.log('   ratio = bytes moved both ways / (seconds × baud / 10), the line-rate limit for the time the backup took');
    const results: Results = {};
    console.log(`   pages of ${bulkPages.pageSize} records and ${bulkPages.dailyWindowDays} days (fewer requests: each costs a turnaround and,`
      + ' windowed, a round trip before its last packet); the last pair with the backup\'s defaults (bulkPageSizes: 1024 records and 366 days when 70 lists 74, else 256 and 62)');
    {
      // One backup first, not measured: both processes compile their hot paths and fill their caches,
      // so neither mode below pays for that.
      const transport = new SerialTransport({ path: pty.a, baudRate: BAUD });
      const session = await RegisterSession.open(transport, { deviceId: 'bench' });
      try {
        await withBulkBaud(session, async () => collectBackup(await openRegisterBackupPort(session, { deviceId: 'bench' }), store));
      } finally {
        await session.close();
      }
    }
    // Windowed (SPEC.md §10, 70 lists 74) and stop-and-wait (the same register, the host told to keep §3), one after the other.
    for (const [mode, transferWindow] of [['windowed', undefined], ['stop-and-wait', 0]] as const) {
      if (!modes.includes(mode)) continue;
      const transport = new SerialTransport({ path: pty.a, baudRate: BAUD });
      const session = await RegisterSession.open(transport, { deviceId: 'bench', ...(transferWindow === undefined ? {} : { transferWindow }) });
      try {
        const backup = async (pages: Partial<typeof bulkPages> = bulkPages) => collectBackup(await openRegisterBackupPort(session, { deviceId: 'bench', ...pages }), store);
        const line = kinds.includes('line') ? [await measure(session, () => BAUD, () => backup(), ready)] : [];
        let bulkBaud = BAUD;
        const atBulk = async (pages: Partial<typeof bulkPages>, which: string) => {
          const runs: Figures[] = [];
          if (!kinds.includes(which)) return runs;
          for (let i = 0; i < REPEAT; i++) {
            runs.push(await measure(session, () => bulkBaud, () => withBulkBaud(session, () => {
              bulkBaud = transport.baudRate;
              return backup(pages);
            }), ready));
          }
          return runs.sort((a, b) => a.ratio - b.ratio);
        };
        results[mode] = { line, bulk: await atBulk(bulkPages, 'bulk'), defaults: await atBulk({}, 'defaults') };
      } finally {
        await session.close();
      }
    }
    return { ready, results };
  } finally {
    if (simulator !== undefined) await stopProcess(simulator);
    await pty.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

const median = (runs: readonly Figures[]): Figures | undefined => runs[Math.floor(runs.length / 2)];

export async function main(): Promise<void> {
  const missing = socatMissingReason();
  if (missing !== undefined) {
    console.log(`   skipped: ${missing}`);
    return;
  }
  const { results } = await measureBackups(MODES, RUNS);
  console.log(`   after 71: ${REPEAT} backups each, the median shown, then all ratios (the machine is shared: other work slows single runs)`);
  for (const which of ['line', 'bulk', 'defaults'] as const) {
    for (const mode of ['windowed', 'stop-and-wait']) {
      const runs = results[mode]?.[which] ?? [];
      const middle = median(runs);
      if (middle === undefined) continue;
      const label = `[backup ${middle.baud} baud${which === 'line' ? '' : ', after 71'}${which === 'defaults' ? ', default pages' : ''}]`;
      console.log(`   ${label} ${show(mode, middle)}${runs.length > 1 ? `; runs ${runs.map((f) => f.ratio.toFixed(3)).join(' ')}` : ''}`);
    }
  }
}

/**
 * Backup bytes over the line-rate limit at 115200 and at the fastest rate (after 71), windowed with the backup's
 * default pages as the daemon makes it (main() also prints stop-and-wait beside it).
 * BENCH_BACKUP_MODES / BENCH_BACKUP_RUNS are not read here: these are the figures issue 15 names.
 */
export async function figures(): Promise<BenchFigure[]> {
  const ids = { line: 'backup.115200.ratio', bulk: 'backup.fastest.ratio' } as const;
  const labels = {
    line: `backup of ${DAYS} days at ${BAUD} baud over a pty, bytes moved over the line-rate limit (windowed)`,
    bulk: `the same backup after GB link 71 at the fastest rate both ends offer, median of ${REPEAT} (windowed, default pages)`,
  };
  const missing = socatMissingReason();
  if (missing !== undefined) {
    return (['line', 'bulk'] as const).map((which) => ({ id: ids[which], label: labels[which], value: null, unit: 'ratio', notMeasured: missing }));
  }
  const { ready, results } = await measureBackups(['windowed'], ['line', 'defaults']);
  const figureOf = (which: 'line' | 'bulk', runs: readonly Figures[]): BenchFigure => {
    const f = median(runs);
    if (f === undefined) return { id: ids[which], label: labels[which], value: null, unit: 'ratio', notMeasured: 'no run' };
    return {
      id: ids[which], label: labels[which], value: f.ratio, unit: 'ratio', target: { op: '>=', value: 0.9 },
      baseline: `line-rate limit ${f.baud}/10 B/s for the ${f.seconds.toFixed(1)} s the backup took`,
      detail: `answers alone ${f.answerRatio.toFixed(3)}, ${f.records} records (${ready.invoices} invoices)${f.complete ? '' : ', COUNTS DIFFER'}`
        + `${runs.length > 1 ? `; runs ${runs.map((r) => r.ratio.toFixed(3)).join(' ')}` : ''}`,
    };
  };
  return [
    figureOf('line', results.windowed?.line ?? []),
    figureOf('bulk', results.windowed?.defaults ?? []),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
