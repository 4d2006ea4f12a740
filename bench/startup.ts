// fiscald's start-up time to its first answer (GET /v1/health 200, timed from the spawn) with --simulate=2, on a new
// data dir (the simulated registers made and saved: one new, one with a year of sales) and again on the same data
// dir (brought back from disk), through the bin as installed (dist/bin when `npm run build` is fresh, else tsx); the same
// run's baseline is a bare fastify process started and asked the same way.
// The note also gives the start of the same code compiled ahead of time (esbuild, as the test run does), on a new data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchFigure } from './BenchFigure.js';
import { buildTestBinaries } from '../test/support/buildTestBinaries.js';
import { fiscaldBinUsed } from './binUsed.js';
import { median, root, startBareServer, startTimedDaemon } from './daemonProcess.js';

const STARTS = Number(process.env.BENCH_STARTS ?? 3);

interface Starts { fresh: number[]; again: number[]; freshOnline: number[]; againOnline: number[]; bare: number[]; compiled: number[] }

/** fiscald compiled ahead of time the way the test run compiles it (test/support/buildTestBinaries.ts): what tsx's per-start transform costs. */
async function compiledFiscald(): Promise<{ entry: string; remove: () => void }> {
  const outdir = join(root, '.tmp', `bench-startup-${process.pid}`);
  const files = await buildTestBinaries(outdir);
  return { entry: files.fiscald, remove: () => rmSync(outdir, { recursive: true, force: true }) };
}

async function measure(): Promise<Starts> {
  const starts: Starts = { fresh: [], again: [], freshOnline: [], againOnline: [], bare: [], compiled: [] };
  const compiled = await compiledFiscald();
  for (let i = 0; i < STARTS; i += 1) {
    const bare = await startBareServer();
    starts.bare.push(bare.firstAnswerSeconds);
    await bare.stop();
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-bench-startup-'));
    try {
      const fresh = await startTimedDaemon({ simulate: 2, dataDir });
      starts.fresh.push(fresh.firstAnswerSeconds);
      starts.freshOnline.push(fresh.onlineSeconds);
      await fresh.stop();
      const again = await startTimedDaemon({ simulate: 2, dataDir });
      starts.again.push(again.firstAnswerSeconds);
      starts.againOnline.push(again.onlineSeconds);
      await again.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const ahead = await startTimedDaemon({ simulate: 2, entry: compiled.entry });
    starts.compiled.push(ahead.firstAnswerSeconds);
    await ahead.stop();
  }
  compiled.remove();
  return starts;
}

const list = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(' ');

export async function figures(): Promise<BenchFigure[]> {
  const used = fiscaldBinUsed();
  const s = await measure();
  const baseline = `bare fastify process to its first answer: median ${median(s.bare).toFixed(2)} s (${list(s.bare)})`;
  return [
    {
      id: 'startup.first-answer.s', label: 'fiscald --simulate=2 on a new data dir, spawn to the first answer of /v1/health', value: median(s.fresh), unit: 's',
      target: { op: '<', value: 2 }, baseline,
      detail: `${used}; median of ${STARTS}: ${list(s.fresh)} s; both registers online after ${list(s.freshOnline)} s; the same code compiled ahead of time (no tsx): ${list(s.compiled)} s`,
    },
    {
      id: 'startup.restart.first-answer.s', label: 'fiscald --simulate=2 started again on the same data dir, spawn to the first answer', value: median(s.again), unit: 's',
      target: { op: '<', value: 2 }, baseline, detail: `${used}; median of ${STARTS}: ${list(s.again)} s; both registers online after ${list(s.againOnline)} s`,
    },
  ];
}

export async function main(): Promise<void> {
  for (const f of await figures()) console.log(`   ${f.id}: ${f.value?.toFixed(2)} s (${f.detail}); ${f.baseline}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
