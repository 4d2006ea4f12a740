import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { entryPoint } from './entryPoints.js';

const root = resolve(import.meta.dirname, '..', '..');

export interface RunningDaemon {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly token: string;
  readonly pid: number;
  /** Everything the daemon wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM by PID; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL by PID: a crash. */
  kill9(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'fiscald-e2e-'));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}

/**
 * Starts `node bin/fiscald.js --simulate=N --listen 127.0.0.1:<free port> --data-dir DIR` as a real
 * process and waits until /v1/health answers and the N registers are online; the token is read from the data dir.
 * The test run's compiled fiscald is started unless `source` asks for the installed bin (test/helpers/entryPoints.ts).
 */
export async function startDaemon(options: { dataDir?: string; simulate?: number; args?: string[]; env?: NodeJS.ProcessEnv; source?: boolean } = {}): Promise<RunningDaemon> {
  const dataDir = options.dataDir ?? tempDataDir();
  const port = await freePort();
  const child = spawn(process.execPath, [
    ...entryPoint('fiscald', { source: options.source === true }), `--simulate=${options.simulate ?? 2}`, '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir,
    ...(options.args ?? []),
  ], { cwd: root, env: { ...process.env, FISCALD_LOG_LEVEL: 'info', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`fiscald exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`fiscald did not answer on ${url}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
  // Registers are identified in the background after start-up: wait until every simulated one is online.
  const wanted = options.simulate ?? 2;
  for (;;) {
    const res = await fetch(`${url}/v1/devices`, { headers: { authorization: `Bearer ${token}` } });
    const { devices } = (await res.json()) as { devices: { state: string }[] };
    if (devices.filter((d) => d.state === 'online').length >= wanted) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`fiscald did not bring ${wanted} registers online:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid!;
  return {
    url, port, dataDir, token, pid,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM');
      return exited(child);
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
      await exited(child);
    },
  };
}

/**
 * Runs `node bin/fiscalctl.js ARGS` against a running daemon (token found in its data dir): the test run's
 * compiled copy, or the installed bin itself with `source`.
 */
export function runFiscalctl(daemon: RunningDaemon, args: readonly string[], env: NodeJS.ProcessEnv = {}, options: { source?: boolean } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [...entryPoint('fiscalctl', { source: options.source === true }), ...args], {
      cwd: root, env: { ...process.env, FISCALD_URL: daemon.url, FISCALD_DATA_DIR: daemon.dataDir, FISCALD_TOKEN: '', LANG: 'C', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** Waits until `check` returns a value (not undefined), polling. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
