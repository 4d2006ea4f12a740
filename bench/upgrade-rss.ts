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
// firmware lacks 75 (--profile no-75), so the daemon sends every block as it is.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freshCompiledEntry } from '../bin/compiledEntry.js';
import { buildFwpkg, parseFirmwareVersion, parsePrivateKeyPem } from '../protocols/fwpkg/index.js';
import { compileEntryPoints } from '../scripts/compileEntryPoints.js';
import { socatMissingReason, startPtyPair } from '../test/helpers/socat.js';
import { startSimulatorProcess } from '../test/integration/serial/simulatorProcess.js';
import type { BenchFigure } from './BenchFigure.js';
import { finished, root, rssMb, startTimedDaemon, trustedKeysDir, waitForJob, type TimedDaemon } from './daemonProcess.js';

const MIB = 1024 * 1024;
const IMAGE_BYTES = 8 * MIB;
const BAUD = 115_200;
const SAMPLE_MS = 20;
const ID = 'upgrade.rss.8mib.ratio';

/** Like firmware: the first `size` bytes of the node binary running this bench. */
function firmwareLikeImage(size: number): Uint8Array {
  const image = new Uint8Array(size);
  const fd = openSync(process.execPath, 'r');
  try {
    const read = readSync(fd, image, 0, size, 0);
    if (read !== size) throw new Error(`${process.execPath} has only ${read} bytes`);
    return image;
  } finally {
    closeSync(fd);
  }
}

/** fiscald as production starts it: dist/bin when `npm run build` is fresh, else this run's compile of the same entry. */
async function fiscaldEntry(): Promise<{ entry?: string; note: string }> {
  if (freshCompiledEntry('fiscald') !== undefined) return { note: 'bin/fiscald.js running dist/bin (npm run build)' };
  // Inside the project (installed packages resolve from node_modules); removed after the run.
  const outdir = mkdtempSync(join(root, 'test-artifacts', 'bench-upgrade-rss-'));
  await compileEntryPoints({ fiscald: join(root, 'bin', 'entries', 'fiscald.ts') }, outdir, root);
  return { entry: join(outdir, 'fiscald.js'), note: 'dist/bin stale: bin/entries/fiscald.ts compiled for this run as npm run build does' };
}

interface Sampler { readonly peak: number; readonly last: number; stop(): void }

function sampleRss(pid: number): Sampler {
  const state = { peak: rssMb(pid), last: rssMb(pid) };
  const timer = setInterval(() => {
    try {
      state.last = rssMb(pid);
      state.peak = Math.max(state.peak, state.last);
    } catch {
      // the process is gone: the job's end says why
    }
  }, SAMPLE_MS);
  return { get peak() { return state.peak; }, get last() { return state.last; }, stop: () => clearInterval(timer) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Measured { beforeMb: number; peakMb: number; afterMb: number; seconds: number; write: unknown }

async function startJob(daemon: TimedDaemon, path: string, body: unknown): Promise<string> {
  const { status, json } = await daemon.request('POST', path, body);
  if (status !== 202) throw new Error(`POST ${path} answered ${status} ${JSON.stringify(json)}`);
  return (json as { job: { id: string } }).job.id;
}

/** One fiscald, one register (compressing or not), one 8 MiB upgrade measured. */
async function measureOnce(image: Uint8Array, compress: boolean, entry: string | undefined): Promise<Measured> {
  const work = mkdtempSync(join(tmpdir(), 'fg-bench-upgrade-rss-'));
  const trusted = trustedKeysDir();
  const pty = await startPtyPair();
  let daemon: TimedDaemon | undefined;
  const simulator = await startSimulatorProcess(['--port', pty.b, '--baud', String(BAUD), '--seed', '5', '--untimed', ...(compress ? [] : ['--profile', 'no-75'])], 60_000)
    .catch(async (error: unknown) => { await pty.stop(); throw error; });
  try {
    const config = join(work, 'fiscald.json');
    writeFileSync(config, JSON.stringify({ devices: { allow: [pty.a], baudRate: BAUD, buses: ['serial'], pollIntervalMs: 200 } }));
    daemon = await startTimedDaemon({ simulate: 0, args: ['--config', config, '--trusted-keys', trusted], ...(entry === undefined ? {} : { entry }) });
    const deadline = Date.now() + 60_000;
    let device: { id: string; state: string; identity?: { model: string } } | undefined;
    for (;;) {
      device = (await daemon.get<{ devices: { id: string; state: string; identity?: { model: string } }[] }>('/v1/devices')).json.devices[0];
      if (device?.state === 'online' && device.identity !== undefined) break;
      if (Date.now() > deadline) throw new Error(`the register did not come online:\n${daemon.output()}`);
      await sleep(100);
    }
    const key = parsePrivateKeyPem(readFileSync(join(root, 'fixtures', 'packages', 'vector-sm2.key'), 'utf8'));
    const lowest = parseFirmwareVersion('0.0.1');
    const built = await buildFwpkg({
      image, key, vendor: 'bench', models: [device.identity!.model], version: parseFirmwareVersion('9.8.7'), versionLowest: lowest, bootloaderLowest: lowest,
      paths: ['serial'], releaseNotes: '', createdAt: new Date(),
    });
    const uploaded = await daemon.request('POST', '/v1/packages', built.bytes);
    if (uploaded.status !== 201 && uploaded.status !== 200) throw new Error(`POST /v1/packages answered ${uploaded.status} ${JSON.stringify(uploaded.json)}`);
    const packageId = (uploaded.json as { package: { id: string } }).package.id;
    const backup = await waitForJob(daemon, await startJob(daemon, `/v1/devices/${device.id}/backups`, {}), finished, 300_000);
    if (backup.state !== 'succeeded') throw new Error(`the backup before the upgrade ended ${backup.state} ${backup.error?.code ?? ''}`);
    // The daemon as an operator finds it: idle a moment after the upload and the backup.
    await sleep(2000);
    const sampler = sampleRss(daemon.pid);
    await sleep(10 * SAMPLE_MS);
    const beforeMb = sampler.last;
    const started = performance.now();
    const jobId = await startJob(daemon, `/v1/devices/${device.id}/upgrade`, { package: packageId, path: 'serial' });
    const job = await waitForJob(daemon, jobId, finished, 600_000);
    const seconds = (performance.now() - started) / 1000;
    sampler.stop();
    if (job.state !== 'succeeded') throw new Error(`the upgrade ended ${job.state} ${job.error?.code ?? ''}:\n${daemon.output()}`);
    return { beforeMb, peakMb: Math.max(sampler.peak, rssMb(daemon.pid)), afterMb: rssMb(daemon.pid), seconds, write: (job.result as { write?: unknown } | null)?.write };
  } finally {
    await daemon?.stop().catch(() => undefined);
    await simulator.stop();
    await pty.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(trusted, { recursive: true, force: true });
  }
}

const growth = (m: Measured) => ((m.peakMb - m.beforeMb) * MIB) / IMAGE_BYTES;

export async function figures(): Promise<BenchFigure[]> {
  const missing = socatMissingReason();
  if (missing !== undefined) return [{ id: ID, label: 'fiscald resident set growth during an 8 MiB serial upgrade, over the image size', value: null, unit: 'ratio', notMeasured: missing }];
  const image = firmwareLikeImage(IMAGE_BYTES);
  const built = await fiscaldEntry();
  try {
    const compressed = await measureOnce(image, true, built.entry);
    const raw = await measureOnce(image, false, built.entry);
    const line = (m: Measured) => `${m.beforeMb.toFixed(1)} → peak ${m.peakMb.toFixed(1)} MiB (after ${m.afterMb.toFixed(1)}), job ${m.seconds.toFixed(1)} s`;
    return [{
      id: ID,
      label: 'fiscald (a real process) resident set growth during an 8 MiB serial upgrade job (package verified again and read, written with compressed blocks, trial boot, verification), over the image size; package uploaded and a verified backup made before',
      value: growth(compressed), unit: 'ratio', target: { op: '<', value: 2 },
      baseline: `image ${IMAGE_BYTES} B (first 8 MiB of the node binary); VmRSS sampled every ${SAMPLE_MS} ms`,
      detail: `compressed (register lists 75): ${line(compressed)}; raw (register without 75): ${growth(raw).toFixed(3)}, ${line(raw)}; register untimed on a socat pty; ${built.note}`,
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
