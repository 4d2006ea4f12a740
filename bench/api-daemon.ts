// GET /v1/devices on a real fiscald against a bare fastify process answering the same JSON, both measured from
// this process (8 keep-alive connections) in alternating pairs of rounds, bare then fiscald, so that each pair
// sees the same machine load; the figure is the median of the pairs' ratios (the machine is shared: a burst of
// other work in one round moves one pair, not the figure). Best-of ratios are in the detail.
// - idle: fiscald --simulate=2 (two in-process simulated registers, a year of sales each).
// - during an upgrade: fiscald --simulate=0 with its register the simulator as a process of its own on a socat
//   pty (timed line: the daemon and the register move to the fastest rate by GB link 71), as a real register is
//   another machine; a firmware-like image (the start of the node binary, compressing as firmware does) written by
//   the serial path. Rounds start once GET /v1/jobs/:id reports the write stage, and a pair counts only when the
//   job was running in its write stage before the bare round, between the rounds and after the fiscald round
//   (the write stage is entered once); pairs outside are dropped and counted in the detail, with how long the
//   write stage lasted and where in it the counted rounds lay.
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { socatMissingReason } from '../test/helpers/socat.js';
import type { BenchFigure } from './BenchFigure.js';
import { TEST_BINARIES_ENV } from '../test/helpers/entryPoints.js';
import { fiscaldBinUsed } from './binUsed.js';
import { finished, jobOf, startBareServer, startTimedDaemon, uploadPackage, waitForJob, type JobView, type TimedDaemon } from './daemonProcess.js';
import { firmwareLikeImage, startDaemonOnSerialRegister } from './serialRegisterDaemon.js';

const ROUND_MS = Number(process.env.BENCH_MS ?? 1000);
const IDLE_PAIRS = Number(process.env.BENCH_API_PAIRS ?? 6);
const UPGRADE_PAIRS = Number(process.env.BENCH_API_PAIRS ?? 6);
const CONCURRENCY = 8;
const IMAGE_BYTES = Number(process.env.BENCH_API_IMAGE ?? 3 * 1024 * 1024);
const BAUD = 115_200;

interface Measurement { rps: number; p99: number; errors: number }

async function load(port: number, path: string, headers: Record<string, string>): Promise<Measurement> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + ROUND_MS;
  const one = () => new Promise<void>((resolve) => {
    const started = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) errors += 1;
        latencies.push(performance.now() - started);
        resolve();
      });
    });
    req.on('error', () => { errors += 1; resolve(); });
    req.end();
  });
  const worker = async () => { while (performance.now() < end) await one(); };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN, errors };
}

interface Pair { bare: Measurement; api: Measurement; startedAt: number; endedAt: number; inside: boolean }

interface Target { port: number; headers: Record<string, string> }

/** `count` pairs (bare round, then fiscald round); `inside`, when given, is asked before, between and after. */
async function measurePairs(count: number, bare: Target, api: Target, inside?: () => Promise<boolean>): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (let i = 0; i < count; i += 1) {
    const before = inside === undefined ? true : await inside();
    if (!before && pairs.length > 0) break; // the write stage is over: later pairs would all be outside
    const startedAt = performance.now();
    const bareRound = await load(bare.port, '/v1/devices', bare.headers);
    const between = inside === undefined ? true : await inside();
    const apiRound = await load(api.port, '/v1/devices', api.headers);
    const endedAt = performance.now();
    const after = inside === undefined ? true : await inside();
    pairs.push({ bare: bareRound, api: apiRound, startedAt, endedAt, inside: before && between && after });
  }
  return pairs;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Summary { ratio: number; bestRatio: number; ratios: number[]; p99: number; bareP99: number; bareRps: number; apiRps: number; errors: number; pairs: number }

function summarise(pairs: readonly Pair[]): Summary {
  const ratios = pairs.map((p) => p.api.rps / p.bare.rps);
  return {
    ratio: median(ratios), ratios,
    bestRatio: Math.max(...pairs.map((p) => p.api.rps)) / Math.max(...pairs.map((p) => p.bare.rps)),
    // The worst fiscald p99 of the counted rounds (not the best): the target is a ceiling.
    p99: Math.max(...pairs.map((p) => p.api.p99)), bareP99: Math.max(...pairs.map((p) => p.bare.p99)),
    bareRps: median(pairs.map((p) => p.bare.rps)), apiRps: median(pairs.map((p) => p.api.rps)),
    errors: pairs.reduce((n, p) => n + p.api.errors + p.bare.errors, 0), pairs: pairs.length,
  };
}

/** A bare fastify process answering what fiscald's /v1/devices answers now, both warmed up, for `work`. */
async function withBareBaseline<T>(daemon: TimedDaemon, work: (bare: Target, api: Target) => Promise<T>): Promise<T> {
  const { json } = await daemon.get<unknown>('/v1/devices');
  const bare = await startBareServer('/v1/devices', json);
  try {
    const api = apiTarget(daemon);
    await load(bare.port, '/v1/devices', {}); // warm-up
    await load(api.port, '/v1/devices', api.headers);
    return await work({ port: bare.port, headers: {} }, api);
  } finally {
    await bare.stop();
  }
}

async function idleRun(): Promise<Summary> {
  const daemon = await startTimedDaemon({ simulate: 2 });
  try {
    return await withBareBaseline(daemon, async (bare, api) => summarise(await measurePairs(IDLE_PAIRS, bare, api)));
  } finally {
    await daemon.stop();
  }
}

function apiTarget(daemon: TimedDaemon): Target {
  const port = Number(new URL(daemon.url).port);
  return { port, headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${daemon.token}` } };
}

interface UpgradeRun {
  summary: Summary;
  dropped: number;
  /** Seconds from the first poll that saw the write stage to the first that saw it over. */
  writeSeconds: number;
  /** The counted rounds' span inside the write stage, s from its start. */
  window: { from: number; to: number };
  job: JobView;
  /** Share of one core the register simulator and fiscald used over the measuring rounds (CPU s / wall s). */
  cpu: { simulator: number; fiscald: number };
}

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100 on Linux)
}
const writing = (job: JobView) => job.state === 'running' && job.stage === 'write';

async function upgradeRun(): Promise<UpgradeRun> {
  // Discovery at its default interval, as deployed.
  const setting = await startDaemonOnSerialRegister({ baud: BAUD, simulatorArgs: ['--seed', '7'] });
  try {
    const { daemon: d, device, simulatorPid } = setting;
    const packageId = await uploadPackage(d, device.model, firmwareLikeImage(IMAGE_BYTES), '9.1.0');
    return await withBareBaseline(d, async (bare, api) => {
      const started = await d.request('POST', `/v1/devices/${device.id}/upgrade`, { package: packageId, path: 'serial' });
      if (started.status !== 202) throw new Error(`POST upgrade answered ${started.status} ${JSON.stringify(started.json)}`);
      const jobId = (started.json as { job: { id: string } }).job.id;
      const first = await waitForJob(d, jobId, (job) => writing(job) || finished(job), 300_000);
      if (!writing(first)) throw new Error(`the upgrade ended ${first.state} ${first.error?.code ?? ''} before its write stage was seen`);
      const writeSeenAt = performance.now();
      const cpuBefore = { simulator: cpuSeconds(simulatorPid), fiscald: cpuSeconds(d.pid) };
      const pairs = await measurePairs(UPGRADE_PAIRS, bare, api, async () => writing(await jobOf(d, jobId)));
      const wall = (performance.now() - writeSeenAt) / 1000;
      const cpu = {
        simulator: (cpuSeconds(simulatorPid) - cpuBefore.simulator) / wall,
        fiscald: (cpuSeconds(d.pid) - cpuBefore.fiscald) / wall,
      };
      await waitForJob(d, jobId, (job) => !writing(job), 600_000);
      const writeSeconds = (performance.now() - writeSeenAt) / 1000;
      const job = await waitForJob(d, jobId, finished, 600_000);
      const counted = pairs.filter((p) => p.inside);
      if (counted.length === 0) throw new Error(`no pair of rounds lay inside the write stage (${writeSeconds.toFixed(1)} s): make BENCH_API_IMAGE larger`);
      return {
        summary: summarise(counted), dropped: pairs.length - counted.length, writeSeconds, job, cpu,
        window: { from: (counted[0]!.startedAt - writeSeenAt) / 1000, to: (counted.at(-1)!.endedAt - writeSeenAt) / 1000 },
      };
    });
  } finally {
    await setting.stop();
  }
}

/** What startTimedDaemon ran: the copy a test run or campaign compiled (entryPoint), else what bin/fiscald.js runs. */
const binUsed = () => (process.env[TEST_BINARIES_ENV] === undefined ? fiscaldBinUsed() : `the entry compiled in ${TEST_BINARIES_ENV}`);

export async function figures(): Promise<BenchFigure[]> {
  const idle = await idleRun();
  const baseline = (s: Summary) => `bare fastify process ${s.bareRps.toFixed(0)} req/s (median of rounds), worst p99 ${s.bareP99.toFixed(2)} ms`;
  const detail = (s: Summary) => `fiscald ${s.apiRps.toFixed(0)} req/s${s.errors > 0 ? `, ${s.errors} non-200` : ''}; median of ${s.pairs} pairs of ${ROUND_MS} ms rounds `
    + `(ratios ${s.ratios.map((r) => r.toFixed(3)).join(' ')}; best-of ${s.bestRatio.toFixed(3)}); ${CONCURRENCY} connections; ${binUsed()}`;
  const idleFigures: BenchFigure[] = [
    { id: 'api.idle.rps.ratio', label: 'GET /v1/devices req/s on fiscald --simulate=2 over a bare fastify process, idle', value: idle.ratio, unit: 'ratio', target: { op: '>=', value: 0.8 }, baseline: baseline(idle), detail: detail(idle) },
    { id: 'api.idle.p99.ms', label: 'GET /v1/devices p99 latency on fiscald --simulate=2, idle (worst round)', value: idle.p99, unit: 'ms', target: { op: '<', value: 10 }, baseline: baseline(idle), detail: detail(idle) },
  ];
  const upgradeLabel = 'GET /v1/devices req/s over a bare fastify process, while fiscald writes an upgrade to a register (simulator process on a pty)';
  const missing = socatMissingReason();
  if (missing !== undefined) {
    return [...idleFigures,
      { id: 'api.upgrade.rps.ratio', label: upgradeLabel, value: null, unit: 'ratio', notMeasured: missing },
      { id: 'api.upgrade.p99.ms', label: 'GET /v1/devices p99 latency on fiscald during an upgrade\'s write', value: null, unit: 'ms', notMeasured: missing }];
  }
  const up = await upgradeRun();
  const during = `${up.summary.pairs} pairs counted, ${up.dropped} dropped (not wholly inside the write stage); counted rounds from ${up.window.from.toFixed(1)} s to ${up.window.to.toFixed(1)} s `
    + `of a write stage of ${up.writeSeconds.toFixed(1)} s (job stage read before, between and after each pair); ${IMAGE_BYTES / 1024 / 1024} MiB firmware-like image, `
    + `serial path from ${BAUD} baud up to the fastest rate both sides list (GB link 71), the image at `
    + `${(IMAGE_BYTES / 1024 / up.writeSeconds).toFixed(0)} KiB/s over the stage; over the rounds the simulator process used ${up.cpu.simulator.toFixed(2)} `
    + `of a core and fiscald ${up.cpu.fiscald.toFixed(2)}; the job ended ${up.job.state}${up.job.error ? ` ${up.job.error.code}` : ''}`;
  return [...idleFigures,
    { id: 'api.upgrade.rps.ratio', label: upgradeLabel, value: up.summary.ratio, unit: 'ratio', target: { op: '>=', value: 0.8 }, baseline: baseline(up.summary), detail: `${detail(up.summary)}; ${during}` },
    { id: 'api.upgrade.p99.ms', label: 'GET /v1/devices p99 latency on fiscald during an upgrade\'s write (worst counted round)', value: up.summary.p99, unit: 'ms', target: { op: '<', value: 10 }, baseline: baseline(up.summary), detail: `${detail(up.summary)}; ${during}` },
  ];
}

export async function main(): Promise<void> {
  for (const f of await figures()) console.log(`   ${f.id}: ${f.value === null ? `not measured (${f.notMeasured})` : f.value.toFixed(3)} (${f.baseline ?? ''}; ${f.detail ?? ''})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
