// Helpers of the daemon-level benchmarks (bench/startup.ts, bench/rss.ts, bench/api-daemon.ts): fiscald as a real
// process timed from its spawn, a bare fastify process as the same run's baseline, and what /proc says of a process.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { buildFwpkg, parseFirmwareVersion, parsePrivateKeyPem } from '../protocols/fwpkg/index.js';
import { freePort } from '../test/helpers/daemon.js';
import { entryPoint } from '../test/helpers/entryPoints.js';

export const root = resolve(import.meta.dirname, '..');

export interface TimedDaemon {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  readonly token: string;
  /** From spawn to the first 200 of /v1/health, s. */
  readonly firstAnswerSeconds: number;
  /** From spawn until every simulated register is online, s. */
  readonly onlineSeconds: number;
  get<T>(path: string): Promise<{ status: number; json: T }>;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
  /** SIGKILL by PID (a crash); the data dir stays. */
  kill9(): Promise<void>;
  output(): string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/**
 * Spawns `fiscald --simulate=N` on a free loopback port and a data dir (a new one unless given), timing its start:
 * bin/fiscald.js through tsx, or the copy compiled for this run when a test run or the campaign made one
 * (test/helpers/entryPoints.ts), or `entry`.
 */
export async function startTimedDaemon(options: { simulate: number; dataDir?: string; args?: readonly string[]; keepDataDir?: boolean; entry?: string }): Promise<TimedDaemon> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'fg-bench-daemon-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(options.entry === undefined ? entryPoint('fiscald') : [options.entry]), `--simulate=${options.simulate}`, '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, ...(options.args ?? [])], {
    cwd: root, env: { ...process.env, FISCALD_LOG_LEVEL: 'warn', FISCALD_LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); });
  child.stderr!.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
    await exited(child);
    if (options.dataDir === undefined && options.keepDataDir !== true) rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  let firstAnswerSeconds = NaN;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`fiscald exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/v1/health`)).ok) {
        firstAnswerSeconds = (performance.now() - t0) / 1000;
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`fiscald did not answer on ${url}:\n${output}`);
    }
    await sleep(5);
  }
  const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const binary = body instanceof Uint8Array;
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`, 'x-operator': 'bench', ...headers,
        ...(body === undefined ? {} : { 'content-type': binary ? 'application/octet-stream' : 'application/json' }),
      },
      ...(body === undefined ? {} : { body: binary ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown = text;
    try { json = text === '' ? {} : JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json };
  };
  const get = async <T>(path: string) => (await request('GET', path)) as { status: number; json: T };
  for (;;) {
    const { json } = await get<{ devices: { state: string }[] }>('/v1/devices');
    if (json.devices.filter((d) => d.state === 'online').length >= options.simulate) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`fiscald did not bring ${options.simulate} registers online:\n${output}`);
    }
    await sleep(20);
  }
  const onlineSeconds = (performance.now() - t0) / 1000;
  const kill9 = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
    await exited(child);
  };
  return { url, pid: child.pid!, dataDir, token, firstAnswerSeconds, onlineSeconds, get, request, stop, kill9, output: () => output };
}

export interface BareServer {
  readonly port: number;
  readonly pid: number;
  /** From spawn to its first answer, s. */
  readonly firstAnswerSeconds: number;
  stop(): Promise<void>;
}

/**
 * A bare fastify process answering GET `path` with `body` (and GET /v1/health): what Node and fastify cost with
 * nothing of the gateway around them, started and measured the same way as the daemon.
 */
export async function startBareServer(path = '/v1/devices', body: unknown = { devices: [] }): Promise<BareServer> {
  const code = `import Fastify from 'fastify';
const app = Fastify();
const body = JSON.parse(${JSON.stringify(JSON.stringify(body))});
// A bare fastify route as one is written: it returns the object and fastify serialises it per request, as fiscald does.
app.get(${JSON.stringify(path)}, async () => body);
app.get('/v1/health', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ port: app.server.address().port }));`;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolvePort, reject) => {
    child.once('exit', (c) => reject(new Error(`the bare fastify process exited with ${c}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolvePort((JSON.parse(line) as { port: number }).port));
  });
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/v1/health`)).ok) break;
    } catch {
      await sleep(5);
    }
  }
  const firstAnswerSeconds = (performance.now() - t0) / 1000;
  return {
    port, pid: child.pid!, firstAnswerSeconds,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
      await exited(child);
    },
  };
}

/** Resident set size of a process, MB (VmRSS in /proc/PID/status). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  if (line === undefined) throw new Error(`no VmRSS for ${pid}`);
  return Number(/(\d+)/.exec(line)![1]) / 1024;
}

/** Open file descriptors of a process (entries of /proc/PID/fd). */
export function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** A directory of trusted vendor keys holding the repository's SM2 test key (fixtures/packages), for --trusted-keys. */
export function trustedKeysDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fg-bench-trusted-'));
  copyFileSync(join(root, 'fixtures', 'packages', 'vector-sm2.pub'), join(dir, 'vendor.pub'));
  return dir;
}

/**
 * Builds a serial-path package for `model` signed with that key, of `image` (or a patterned image of that many
 * bytes), uploads it (POST /v1/packages) and answers its id.
 */
export async function uploadPackage(daemon: TimedDaemon, model: string, image: number | Uint8Array, version: string): Promise<string> {
  const key = parsePrivateKeyPem(readFileSync(join(root, 'fixtures', 'packages', 'vector-sm2.key'), 'utf8'));
  const lowest = parseFirmwareVersion('0.0.1');
  if (typeof image === 'number') image = Uint8Array.from({ length: image }, (_, i) => (i * 131 + (i >> 11)) & 0xff);
  const built = await buildFwpkg({
    image, key, vendor: 'bench', models: [model], version: parseFirmwareVersion(version), versionLowest: lowest, bootloaderLowest: lowest,
    paths: ['serial'], releaseNotes: '', createdAt: new Date(),
  });
  const { status, json } = await daemon.request('POST', '/v1/packages', built.bytes);
  if (status !== 201 && status !== 200) throw new Error(`POST /v1/packages answered ${status} ${JSON.stringify(json)}`);
  return (json as { package: { id: string } }).package.id;
}

export interface JobView { id: string; state: string; stage: string | null; progress?: number; error: { code: string } | null; result: unknown }

export async function jobOf(daemon: TimedDaemon, id: string): Promise<JobView> {
  return (await daemon.get<JobView>(`/v1/jobs/${id}`)).json;
}

/** Waits until `check` holds for the job (polling), or throws after `timeoutMs`. */
export async function waitForJob(daemon: TimedDaemon, id: string, check: (job: JobView) => boolean, timeoutMs: number): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await jobOf(daemon, id);
    if (check(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not get there in ${timeoutMs} ms (state ${job.state}, stage ${job.stage})`);
    await sleep(50);
  }
}

export const finished = (job: JobView) => ['succeeded', 'failed', 'cancelled'].includes(job.state);
