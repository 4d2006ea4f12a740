// GET /v1/devices against a bare fastify route answering the same JSON, measured in the same run, idle and
// while a long job runs (progress written to SQLite every few ms). Prints throughput and p99 ratios.
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildServer } from '../src/api/buildServer.js';
import type { DeviceDirectory } from '../src/api/DeviceDirectory.js';
import type { DeviceSnapshot } from '../src/devices/Device.js';
import { JobRunner } from '../src/jobs/JobRunner.js';
import { silentLogger } from '../src/log.js';
import { openStore } from '../src/store/Store.js';
import type { BenchFigure } from './BenchFigure.js';

const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);
const ROUNDS = 2;
const CONCURRENCY = 8;
const TOKEN = 'bench-token-0123456789abcdef';

function device(i: number): DeviceSnapshot {
  const id = `44030000000000${String(i).padStart(2, '0')}`;
  return {
    id, state: 'online', simulated: true, transport: { kind: 'memory', path: `memory:${i}` }, lastSeenAt: new Date().toISOString(),
    identity: { machineNumber: id, model: 'SIM-ECR-200', hardwareRevision: 'B2', firmwareVersion: '2.3.1', bootloaderVersion: '1.4.0' },
  };
}

interface Measurement { rps: number; p99: number }

async function load(port: number, path: string, headers: Record<string, string>): Promise<Measurement> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  const end = performance.now() + DURATION_MS;
  const one = () => new Promise<void>((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}`));
        latencies.push(performance.now() - started);
        resolve();
      });
    });
    req.on('error', reject);
    req.end();
  });
  const worker = async () => { while (performance.now() < end) await one(); };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN };
}

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

interface ApiRun { idle: { bare: Measurement; api: Measurement }; busy: { bare: Measurement; api: Measurement } }

async function run(): Promise<ApiRun> {
  const devices = [device(1), device(2)];
  const directory: DeviceDirectory = { list: () => devices, get: (id) => devices.find((d) => d.id === id) };
  const store = openStore(':memory:');
  const jobs = new JobRunner({ store });
  let apiPort = 0;
  const api = await buildServer(
    { jobs, store, devices: directory, logger: silentLogger, version: 'bench' },
    { token: TOKEN, port: () => apiPort },
  );
  apiPort = await listen(api);
  const apiHeaders = { host: `127.0.0.1:${apiPort}`, authorization: `Bearer ${TOKEN}` };
  // The bare route answers the very bytes the API answers (fiscal view included), serialised the same way.
  const answer: unknown = (await api.inject({ method: 'GET', url: '/v1/devices', headers: apiHeaders })).json();
  const bare = Fastify();
  bare.get('/v1/devices', async () => answer);
  const barePort = await listen(bare);

  // Alternating rounds, best of each: the machine is shared, so a single pass mostly measures the neighbours.
  const best = (a: Measurement, b: Measurement): Measurement => ({ rps: Math.max(a.rps, b.rps), p99: Math.min(a.p99, b.p99) });
  const measure = async () => {
    let bareBest = await load(barePort, '/v1/devices', {});
    let apiBest = await load(apiPort, '/v1/devices', apiHeaders);
    for (let round = 1; round < ROUNDS; round += 1) {
      bareBest = best(bareBest, await load(barePort, '/v1/devices', {}));
      apiBest = best(apiBest, await load(apiPort, '/v1/devices', apiHeaders));
    }
    return { bare: bareBest, api: apiBest };
  };
  await load(barePort, '/v1/devices', {}); // warm-up
  await load(apiPort, '/v1/devices', apiHeaders);
  const idle = await measure();

  let stop = false;
  const { job } = jobs.start({
    kind: 'bench-long-job', deviceId: devices[0]!.id, operator: 'bench', stages: [{ id: 'write', weight: 1, critical: true }],
    run: async (ctx) => {
      ctx.stage('write');
      for (let block = 0; !stop; block += 1) {
        ctx.progress((block % 1000) / 1000, `block ${block}`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return { blocks: 'done' };
    },
  });
  const busy = await measure();
  stop = true;
  await jobs.settled(job.id);
  await api.close();
  await bare.close();
  store.close();
  return { idle, busy };
}

export async function main(): Promise<void> {
  const { idle, busy } = await run();
  const row = (label: string, m: { bare: Measurement; api: Measurement }) =>
    `   ${label.padEnd(9)} bare ${m.bare.rps.toFixed(0).padStart(6)} req/s p99 ${m.bare.p99.toFixed(2)} ms | /v1/devices ${m.api.rps.toFixed(0).padStart(6)} req/s p99 ${m.api.p99.toFixed(2)} ms`
    + ` | throughput ratio ${(m.api.rps / m.bare.rps).toFixed(2)}, p99 ratio ${(m.api.p99 / m.bare.p99).toFixed(2)}`;
  console.log(`   GET /v1/devices vs a bare fastify route, ${CONCURRENCY} connections, best of ${ROUNDS} rounds of ${DURATION_MS} ms`);
  console.log(row('idle', idle));
  console.log(row('long job', busy));
}

/** The same measurement in the benchmark's own process (buildServer, no device I/O): the API layer's own cost. */
export async function figures(): Promise<BenchFigure[]> {
  const { idle, busy } = await run();
  const figure = (id: string, label: string, m: { bare: Measurement; api: Measurement }): BenchFigure => ({
    id, label, value: m.api.rps / m.bare.rps, unit: 'ratio', target: { op: '>=', value: 0.8 },
    baseline: `bare fastify ${m.bare.rps.toFixed(0)} req/s p99 ${m.bare.p99.toFixed(2)} ms`,
    detail: `API ${m.api.rps.toFixed(0)} req/s p99 ${m.api.p99.toFixed(2)} ms; in-process buildServer, ${CONCURRENCY} connections, best of ${ROUNDS} × ${DURATION_MS} ms`,
  });
  return [
    figure('api.inprocess.idle.rps.ratio', 'GET /v1/devices req/s over a bare fastify route, in-process server, idle', idle),
    figure('api.inprocess.job.rps.ratio', 'GET /v1/devices req/s over a bare fastify route, in-process server, a job writing progress', busy),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
