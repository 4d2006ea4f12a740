// Fault runs on the windowed path (GB link 74, SPEC.md §10): backups of a seeded simulated register over the
// in-memory line, timed at 921 600 baud with the default 2 ms turnaround, while the line drops, corrupts or
// delays bytes (both directions) or is cut. Every backup must be complete and verify (every record once, the
// counts the register gives, no problem in the manifest, the folder's hashes right), or fail with a clear error.
// Prints per fault kind: the outcome, the bytes the register re-sent under the window per fault that hit,
// what the host re-sent (command packets, repeated NPs), and the extra bytes moved against a clean backup.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isGatewayError } from '../contracts/errors/index.js';
import { MAX_FRAME } from '../protocols/gb-link/frame.js';
import { HOST_WINDOW } from '../protocols/gb-link/window.js';
import { createSimulatedRegister, type SimulatedRegister } from '../fixtures/simulator/createSimulatedRegister.js';
import type { FaultInput } from '../fixtures/simulator/faults.js';
import { RegisterSession } from '../src/devices/RegisterSession.js';
import { BackupStore } from '../src/services/backup/BackupStore.js';
import { collectBackup } from '../src/services/backup/collectBackup.js';
import { openRegisterBackupPort } from '../src/services/backup/registerBackupPort.js';
import { verifyBackupFolder } from '../src/services/backup/verifyBackupFolder.js';
import type { BenchFigure } from './BenchFigure.js';

const DAYS = Number(process.env.BENCH_FAULT_DAYS ?? 180);

interface Outcome { verdict: string; moved: number; registerResent: number; hostResent: number; hits: number }

const spread = (count: number, from: number, step: number) => Array.from({ length: count }, (_, i) => from + i * step);

const runs: { name: string; faults: FaultInput[]; cut?: boolean }[] = [
  { name: 'drop, answers', faults: [{ kind: 'drop', direction: 'tx', at: spread(6, 9_000, 13_000) }] },
  { name: 'corrupt, answers', faults: [{ kind: 'corrupt', direction: 'tx', at: spread(6, 9_500, 13_000) }] },
  { name: 'drop+corrupt, NPs and requests', faults: [{ kind: 'drop', direction: 'rx', at: spread(3, 150, 400) }, { kind: 'corrupt', direction: 'rx', at: spread(3, 350, 400), xor: 0x20 }] },
  { name: 'delay 2.5 s (past the reply timeout)', faults: [{ kind: 'delay', direction: 'tx', at: spread(2, 20_000, 30_000), ms: 2_500 }] },
  { name: 'random drops both ways (p 1e-4)', faults: [{ kind: 'drop', direction: 'both', probability: 1e-4 }] },
  { name: 'cut mid-backup, then plugged back', faults: [{ kind: 'cut', direction: 'tx', at: 40_000, mode: 'silence' }], cut: true },
];

async function backupOnce(sim: SimulatedRegister, session: RegisterSession, store: BackupStore): Promise<Outcome> {
  const before = { ...session.traffic, register: sim.simulator.windowedStats.resentBytes };
  const counters = { ...sim.simulator.faults.counters };
  const hitsNow = () => {
    const c = sim.simulator.faults.counters;
    return c.dropped - counters.dropped + c.corrupted - counters.corrupted + c.delayed - counters.delayed + c.cuts - counters.cuts;
  };
  const status = sim.simulator.memory.counts();
  let verdict: string;
  try {
    const { dir, manifest } = await collectBackup(await openRegisterBackupPort(session, { deviceId: 'bench' }), store);
    const verified = await verifyBackupFolder(dir);
    const invoices = manifest.kinds.invoices?.records;
    const daily = manifest.kinds.daily?.records;
    const complete = invoices === status.invoices && daily === status.dailyRecords && manifest.problems.length === 0;
    verdict = `${complete ? 'complete' : `INCOMPLETE (${invoices} invoices, ${daily} daily, ${manifest.problems.length} problems)`}`
      + `, ${verified.ok ? 'verifies' : `DOES NOT VERIFY (${verified.failures.length} failures)`}`;
  } catch (error) {
    verdict = `failed: ${isGatewayError(error) ? `${error.code}${error.cause !== undefined && isGatewayError(error.cause) ? ` ← ${error.cause.code}` : ''}` : String(error)}`;
  }
  const after = session.traffic;
  return {
    verdict,
    moved: after.bytesIn - before.bytesIn + after.bytesOut - before.bytesOut,
    registerResent: sim.simulator.windowedStats.resentBytes - before.register,
    hostResent: after.resentBytes - before.resentBytes,
    hits: hitsNow(),
  };
}

interface FaultRun { name: string; first: Outcome; again?: Outcome }

async function runAll(): Promise<{ clean: Outcome; counts: { invoices: number; dailyRecords: number }; rows: FaultRun[] }> {
  const folder = await mkdtemp(join(tmpdir(), 'fg-bench-faults-'));
  const sim = await createSimulatedRegister({ history: { days: DAYS, invoicesPerDay: 5 }, seed: 11, defaultBaud: 921_600 });
  const session = await RegisterSession.open(sim.transport, { deviceId: 'bench' });
  try {
    const store = new BackupStore(join(folder, 'backups'));
    const clean = await backupOnce(sim, session, store);
    const counts = sim.simulator.memory.counts();
    const rows: FaultRun[] = [];
    for (const run of runs) {
      sim.simulator.setFaults({ seed: 5, faults: run.faults });
      const first = await backupOnce(sim, session, store);
      sim.simulator.setFaults({ seed: 5, faults: [] });
      if (run.cut === true) {
        sim.simulator.restoreLink();
        rows.push({ name: run.name, first, again: await backupOnce(sim, session, store) });
      } else {
        rows.push({ name: run.name, first });
      }
    }
    return { clean, counts, rows };
  } finally {
    await session.close();
    await sim.close();
    await rm(folder, { recursive: true, force: true });
  }
}

export async function main(): Promise<void> {
  const { clean, counts, rows } = await runAll();
  console.log(`   ${DAYS} days (${counts.invoices} invoices, ${counts.dailyRecords} daily), memory line timed at 921600 baud, turnaround 2 ms, windowed (W ${HOST_WINDOW})`);
  console.log(`   clean backup: ${clean.verdict}, ${clean.moved} bytes moved, register re-sent ${clean.registerResent} B`);
  for (const { name, first, again } of rows) {
    const perFault = (bytes: number) => (first.hits === 0 ? '–' : (bytes / first.hits).toFixed(0));
    console.log(`   [${name}] ${first.hits} faults hit: ${first.verdict}; register re-sent ${first.registerResent} B (${perFault(first.registerResent)} B per fault),`
      + ` host re-sent ${first.hostResent} B (${perFault(first.hostResent)} per fault), ${first.moved - clean.moved} B more than the clean backup`);
    if (again !== undefined) console.log(`   [${name}] after the line is back: ${again.verdict}`);
  }
}

const good = (outcome: Outcome) => outcome.verdict === 'complete, verifies';

/**
 * The share of fault runs whose backup came out complete and verifying (a cut run counts by its backup once the line
 * is back; the cut one itself must fail with a clear error), and the register's re-sent bytes per dropped or
 * corrupted answer byte over one full frame (MAX_FRAME): about one packet per fault is what the window promises.
 */
export async function figures(): Promise<BenchFigure[]> {
  const { clean, rows } = await runAll();
  const settled = rows.map((row) => (row.again === undefined ? good(row.first) : !good(row.first) && good(row.again)));
  const answerRuns = rows.filter((row) => row.name.endsWith(', answers'));
  const hits = answerRuns.reduce((sum, row) => sum + row.first.hits, 0);
  const resent = answerRuns.reduce((sum, row) => sum + row.first.registerResent, 0);
  return [
    {
      id: 'link.faults.complete.ratio', label: 'backups under drops, corruption, delays and a cut that came out complete and verifying (after the line is back)',
      value: settled.filter(Boolean).length / rows.length, unit: 'ratio', target: { op: '>=', value: 1 },
      baseline: `clean backup in the same run: ${clean.verdict}`,
      detail: rows.map((row, i) => `${row.name}: ${settled[i] ? 'ok' : (row.again ?? row.first).verdict}`).join('; '),
    },
    {
      id: 'link.faults.resent.ratio', label: `register re-sent bytes per fault hit on its answers, over one full frame (${MAX_FRAME} B), windowed`,
      value: hits === 0 ? null : resent / hits / MAX_FRAME, unit: 'ratio',
      ...(hits === 0 ? { notMeasured: 'no fault hit the answers' } : {}),
      baseline: `a clean backup re-sent ${clean.registerResent} B`,
      detail: `${resent} B re-sent for ${hits} faults over ${answerRuns.length} runs`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
