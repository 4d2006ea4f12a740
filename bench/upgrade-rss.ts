// The daemon's resident set during an 8 MiB serial upgrade (issue 11: "daemon RSS growth during an 8 MiB upgrade
// < 2 × the image"), measured on fiscald itself: the production start (bin/fiscald.js running dist/bin when `npm run
// build` is fresh, else the same entry compiled for this run the way the build compiles it), its register the
// simulator as a process of its own on a socat pty pair, found through the allow-list. The package (the first 8 MiB
// of the node binary: code, tables, strings, compressing like firmware) is uploaded first (POST /v1/packages) and a
// verified backup is made first, so the backup gate passes without a backup inside the job: the figure is what the
// image costs, not what the register's history costs (a fresh simulated register's backup is small either way).
// VmRSS of the daemon is sampled from /proc every 20 ms: before = the last sample before POST …/upgrade, peak = the
// largest until the job ends (package re-verification, the write, the trial boot, verification and confirmation).
// The register is untimed (as fast as the pty carries), so a run takes seconds, not 91 s of modelled line.
// Compressed: the register lists 75 and the daemon deflates blocks (what it does by default); raw: a register whose
// firmware lacks 75 (--profile no-75), so the daemon sends every block as it is. Each run is a fresh fiscald and
// register (BENCH_RSS_RUNS, default 2, per mode); the figure is the largest compressed run, every run in the detail,
// with one more run where no backup was made before, so the gate makes one inside the job (in the detail only).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freshCompiledEntry } from '../bin/compiledEntry.js';
import { compileEntryPoints } from '../scripts/compileEntryPoints.js';
import { socatMissingReason } from '../test/helpers/socat.js';
import type { BenchFigure } from './BenchFigure.js';
import { finished, root, uploadPackage, waitForJob, type TimedDaemon } from './daemonProcess.js';
import { firmwareLikeImage, startDaemonOnSerialRegister } from './serialRegisterDaemon.js';

const MIB = 1024 * 1024;
const IMAGE_BYTES = 8 * MIB;
const BAUD = 115_200;
const SAMPLE_MS = 20;
const ID = 'upgrade.rss.8mib.ratio';

/** fiscald as production starts it: dist/bin when `npm run build` is fresh, else this run's compile of the same entry. */
async function fiscaldEntry(): Promise<{ entry?: string; note: string }> {
  if (freshCompiledEntry('fiscald') !== undefined) return { note: 'bin/fiscald.js running dist/bin (npm run build)' };
  // Inside the project (installed packages resolve from node_modules); removed after the run.
  const outdir = mkdtempSync(join(root, 'test-artifacts', 'bench-upgrade-rss-'));
  await compileEntryPoints({ fiscald: join(root, 'bin', 'entries', 'fiscald.ts') }, outdir, root);
  return { entry: join(outdir, 'fiscald.js'), note: 'dist/bin stale: bin/entries/fiscald.ts compiled for this run as npm run build does' };
}

/** VmRSS and its parts (anonymous: heap and stacks; file: mapped files and code; shmem: shared memory such as SQLite's -shm), MiB. */
interface Resident { readonly rss: number; readonly anon: number; readonly file: number; readonly shmem: number }

function residentOf(pid: number): Resident {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    if (match === null) throw new Error(`no ${name} for ${pid}`);
    return Number(match[1]) / 1024;
  };
  return { rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile'), shmem: field('RssShmem') };
}

interface Sampler { readonly peak: Resident; readonly last: Resident; stop(): void }

function sampleRss(pid: number): Sampler {
  const first = residentOf(pid);
  const state = { peak: first, last: first };
  const timer = setInterval(() => {
    try {
      state.last = residentOf(pid);
      if (state.last.rss > state.peak.rss) state.peak = state.last;
    } catch {
      // the process is gone: the job's end says why
    }
  }, SAMPLE_MS);
  return { get peak() { return state.peak; }, get last() { return state.last; }, stop: () => clearInterval(timer) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Measured { before: Resident; peak: Resident; afterMb: number; seconds: number }

async function startJob(daemon: TimedDaemon, path: string, body: unknown): Promise<string> {
  const { status, json } = await daemon.request('POST', path, body);
  if (status !== 202) throw new Error(`POST ${path} answered ${status} ${JSON.stringify(json)}`);
  return (json as { job: { id: string } }).job.id;
}

/** One fiscald, one register (compressing or not), one 8 MiB upgrade measured. */
async function measureOnce(image: Uint8Array, compress: boolean, entry: string | undefined, backupFirst = true): Promise<Measured> {
  const setting = await startDaemonOnSerialRegister({
    baud: BAUD, simulatorArgs: ['--seed', '5', '--untimed', ...(compress ? [] : ['--profile', 'no-75'])], devices: { pollIntervalMs: 200 }, ...(entry === undefined ? {} : { entry }),
  });
  try {
    const { daemon, device } = setting;
    const packageId = await uploadPackage(daemon, device.model, image, '9.8.7');
    if (backupFirst) {
      const backup = await waitForJob(daemon, await startJob(daemon, `/v1/devices/${device.id}/backups`, {}), finished, 300_000);
      if (backup.state !== 'succeeded') throw new Error(`the backup before the upgrade ended ${backup.state} ${backup.error?.code ?? ''}`);
    }
    // The daemon as an operator finds it: idle a moment after the upload and the backup.
    await sleep(2000);
    const sampler = sampleRss(daemon.pid);
    await sleep(10 * SAMPLE_MS);
    const before = sampler.last;
    const started = performance.now();
    const jobId = await startJob(daemon, `/v1/devices/${device.id}/upgrade`, { package: packageId, path: 'serial' });
    const job = await waitForJob(daemon, jobId, finished, 600_000);
    const seconds = (performance.now() - started) / 1000;
    sampler.stop();
    if (job.state !== 'succeeded') throw new Error(`the upgrade ended ${job.state} ${job.error?.code ?? ''}:\n${daemon.output()}`);
    const after = residentOf(daemon.pid);
    return { before, peak: after.rss > sampler.peak.rss ? after : sampler.peak, afterMb: after.rss, seconds };
  } finally {
    await setting.stop();
  }
}

const growth = (m: Measured) => ((m.peak.rss - m.before.rss) * MIB) / IMAGE_BYTES;

/** Fresh daemons per mode: a run's figure varies with what the daemon's allocator and V8 already hold, so the largest counts. */
const RUNS = Number(process.env.BENCH_RSS_RUNS ?? 2);

export async function figures(): Promise<BenchFigure[]> {
  const label = 'fiscald (a real process) resident set growth during an 8 MiB serial upgrade job, over the image size: the job from POST …/upgrade to its end '
    + '(package verified again, image read block by block, blocks compressed (75) as the daemon does when the register lists it, trial boot, verification, confirmation); '
    + 'package uploaded and a verified backup made before (no backup inside the job); the largest of the runs';
  const missing = socatMissingReason();
  if (missing !== undefined) return [{ id: ID, label, value: null, unit: 'ratio', notMeasured: missing }];
  const image = firmwareLikeImage(IMAGE_BYTES);
  const built = await fiscaldEntry();
  try {
    const compressed: Measured[] = [];
    const raw: Measured[] = [];
    for (let run = 0; run < RUNS; run++) {
      compressed.push(await measureOnce(image, true, built.entry));
      raw.push(await measureOnce(image, false, built.entry));
    }
    // The backup gate's own backup inside the job (no verified backup before): a fresh simulated register's history.
    const withBackup = await measureOnce(image, true, built.entry, false);
    const part = (m: Measured, key: 'anon' | 'file' | 'shmem') => `${key} ${(m.peak[key] - m.before[key]) >= 0 ? '+' : ''}${(m.peak[key] - m.before[key]).toFixed(1)}`;
    const line = (m: Measured) => `${growth(m).toFixed(3)} (${m.before.rss.toFixed(1)} → ${m.peak.rss.toFixed(1)} MiB: ${part(m, 'anon')}, ${part(m, 'file')}, ${part(m, 'shmem')}; job ${m.seconds.toFixed(1)} s)`;
    const worst = (runs: Measured[]) => Math.max(...runs.map(growth));
    return [{
      id: ID, label, value: worst(compressed), unit: 'ratio', target: { op: '<', value: 2 },
      baseline: `image ${IMAGE_BYTES} B (first 8 MiB of the node binary); VmRSS of fiscald sampled every ${SAMPLE_MS} ms`,
      detail: `compressed (register lists 75): ${compressed.map(line).join('; ')}; raw (register without 75, --profile no-75): worst ${worst(raw).toFixed(3)}: ${raw.map(line).join('; ')}; `
        + `with the backup made inside the job instead (compressed, one run): ${line(withBackup)}; `
        + `register untimed on a socat pty, a fresh fiscald per run; ${built.note}`,
    }];
  } finally {
    if (built.entry !== undefined) rmSync(join(built.entry, '..'), { recursive: true, force: true });
  }
}

export async function main(): Promise<void> {
  for (const f of await figures()) {
    console.log(`   ${f.id}: ${f.value === null ? `not measured (${f.notMeasured})` : f.value.toFixed(3)} — ${f.label}; ${f.baseline ?? ''}; ${f.detail ?? ''}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
