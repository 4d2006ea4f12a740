// GET /v1/devices on a running fiscald --simulate=2 against a bare fastify process answering the same JSON, both
// measured in the same run from this process (8 keep-alive connections, alternating rounds, best of each): idle,
// then while register 1 is being upgraded (its image written at the bulk rate: the job in its write stage).
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { rmSync } from 'node:fs';
import type { BenchFigure } from './BenchFigure.js';
import { finished, jobOf, startBareServer, startTimedDaemon, trustedKeysDir, uploadPackage, waitForJob, type JobView } from './daemonProcess.js';

const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);
const ROUNDS = 2;
const CONCURRENCY = 8;
const IMAGE_BYTES = Number(process.env.BENCH_API_IMAGE ?? 4 * 1024 * 1024);

interface Measurement { rps: number; p99: number; errors: number }

async function load(port: number, path: string, headers: Record<string, string>): Promise<Measurement> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + DURATION_MS;
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

interface Pair { bare: Measurement; api: Measurement }

async function measurePair(barePort: number, apiPort: number, apiHeaders: Record<string, string>): Promise<Pair> {
  const best = (a: Measurement, b: Measurement): Measurement => ({ rps: Math.max(a.rps, b.rps), p99: Math.min(a.p99, b.p99), errors: a.errors + b.errors });
  let bare = await load(barePort, '/v1/devices', {});
  let api = await load(apiPort, '/v1/devices', apiHeaders);
  for (let round = 1; round < ROUNDS; round += 1) {
    bare = best(bare, await load(barePort, '/v1/devices', {}));
    api = best(api, await load(apiPort, '/v1/devices', apiHeaders));
  }
  return { bare, api };
}

async function run(): Promise<{ idle: Pair; upgrade: Pair; job: JobView; writeAtEnd: boolean }> {
  const trusted = trustedKeysDir();
  const daemon = await startTimedDaemon({ simulate: 2, args: ['--trusted-keys', trusted] });
  try {
    const { json } = await daemon.get<{ devices: { id: string; identity?: { model: string } }[] }>('/v1/devices');
    const bare = await startBareServer('/v1/devices', json);
    try {
      const apiPort = Number(new URL(daemon.url).port);
      const apiHeaders = { host: `127.0.0.1:${apiPort}`, authorization: `Bearer ${daemon.token}` };
      await load(bare.port, '/v1/devices', {}); // warm-up
      await load(apiPort, '/v1/devices', apiHeaders);
      const idle = await measurePair(bare.port, apiPort, apiHeaders);

      const target = json.devices[0]!;
      const packageId = await uploadPackage(daemon, target.identity!.model, IMAGE_BYTES, '9.1.0');
      const started = await daemon.request('POST', `/v1/devices/${target.id}/upgrade`, { package: packageId, path: 'serial' });
      if (started.status !== 202) throw new Error(`POST upgrade answered ${started.status} ${JSON.stringify(started.json)}`);
      const jobId = (started.json as { job: { id: string } }).job.id;
      await waitForJob(daemon, jobId, (job) => job.stage === 'write' || finished(job), 120_000);
      const upgrade = await measurePair(bare.port, apiPort, apiHeaders);
      const atEnd = await jobOf(daemon, jobId);
      const job = await waitForJob(daemon, jobId, finished, 300_000);
      return { idle, upgrade, job, writeAtEnd: atEnd.stage === 'write' && atEnd.state === 'running' };
    } finally {
      await bare.stop();
    }
  } finally {
    await daemon.stop();
    rmSync(trusted, { recursive: true, force: true });
  }
}

export async function figures(): Promise<BenchFigure[]> {
  const { idle, upgrade, job, writeAtEnd } = await run();
  const baseline = (p: Pair) => `bare fastify process ${p.bare.rps.toFixed(0)} req/s, p99 ${p.bare.p99.toFixed(2)} ms`;
  const detail = (p: Pair) => `fiscald ${p.api.rps.toFixed(0)} req/s${p.api.errors > 0 ? `, ${p.api.errors} non-200` : ''}; ${CONCURRENCY} connections, best of ${ROUNDS} × ${DURATION_MS} ms`;
  const during = `${IMAGE_BYTES / 1024 / 1024} MiB upgrade of register 1 ${writeAtEnd ? 'still in its write stage at the end' : 'NOT in its write stage throughout'}; the job ended ${job.state}${job.error ? ` ${job.error.code}` : ''}`;
  return [
    { id: 'api.idle.rps.ratio', label: 'GET /v1/devices req/s on fiscald --simulate=2 over a bare fastify process, idle', value: idle.api.rps / idle.bare.rps, unit: 'ratio', target: { op: '>=', value: 0.8 }, baseline: baseline(idle), detail: detail(idle) },
    { id: 'api.idle.p99.ms', label: 'GET /v1/devices p99 latency on fiscald --simulate=2, idle', value: idle.api.p99, unit: 'ms', target: { op: '<', value: 10 }, baseline: baseline(idle), detail: detail(idle) },
    { id: 'api.upgrade.rps.ratio', label: 'GET /v1/devices req/s over a bare fastify process, during an upgrade', value: upgrade.api.rps / upgrade.bare.rps, unit: 'ratio', target: { op: '>=', value: 0.8 }, baseline: baseline(upgrade), detail: `${detail(upgrade)}; ${during}` },
    { id: 'api.upgrade.p99.ms', label: 'GET /v1/devices p99 latency on fiscald, during an upgrade', value: upgrade.api.p99, unit: 'ms', target: { op: '<', value: 10 }, baseline: baseline(upgrade), detail: `${detail(upgrade)}; ${during}` },
  ];
}

export async function main(): Promise<void> {
  for (const f of await figures()) console.log(`   ${f.id}: ${f.value?.toFixed(3)} (${f.baseline}; ${f.detail})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
