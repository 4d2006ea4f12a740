import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/**
 * A private pcscd for integration tests: `pcscd --foreground` started by the test, with the
 * vsmartcard-vpcd readers that /etc/reader.conf.d/vpcd declares, stopped by PID at the end.
 *
 * pcscd is one per machine (its socket is /run/pcscd/pcscd.comm and vpcd binds fixed ports), so
 * `startPcscd` takes a machine-wide lock first: test files that need it run one after the other,
 * whichever worker or vitest run they are in, while every other test stays parallel.
 */

const VPCD_DRIVER = 'libifdvpcd';
const READER_CONF_DIR = '/etc/reader.conf.d';
const SOCKET_DIR = '/run/pcscd';
const LOCK_DIR = '/tmp/fiscal-gateway-pcscd.lock';
const LOG_LIMIT = 64 * 1024;

interface PcscdRequirement {
  readonly ok: boolean;
  /** Why the tests cannot run here, in words a developer can act on. */
  readonly reason: string;
}

export interface VpcdReader {
  /** The PC/SC reader name, e.g. `Virtual PCD 00 00`. */
  readonly name: string;
  /** The TCP port vpcd listens on for this reader's virtual card. */
  readonly port: number;
}

export interface RunningPcscd {
  readonly pid: number;
  readonly readers: readonly VpcdReader[];
  /** The last 64 KiB of pcscd's output, for a failing test's message. */
  log(): string;
  /** SIGKILL, as a crash would; resolves once the process is gone. `stop` still cleans up after. */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s), then releases the lock; idempotent. */
  stop(): Promise<void>;
}

function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

function vpcdConfigured(): boolean {
  if (!existsSync(READER_CONF_DIR)) return false;
  return readdirSync(READER_CONF_DIR).some((file) => {
    try {
      return readFileSync(join(READER_CONF_DIR, file), 'utf8').includes(VPCD_DRIVER);
    } catch {
      return false;
    }
  });
}

/** What this machine lacks for the pcscd tests; checked synchronously so a file can decide at load time. */
function pcscdRequirement(): PcscdRequirement {
  if (process.platform !== 'linux') return { ok: false, reason: 'the pcscd tests run on Linux only' };
  if (!findExecutable('pcscd')) return { ok: false, reason: 'pcscd is not installed (apt-get install pcscd)' };
  if (!vpcdConfigured()) return { ok: false, reason: `no vpcd reader in ${READER_CONF_DIR} (apt-get install vsmartcard-vpcd)` };
  if (process.getuid?.() !== 0) return { ok: false, reason: `starting pcscd needs root (it owns ${SOCKET_DIR})` };
  try {
    createRequire(import.meta.url).resolve('pcsclite');
  } catch {
    return { ok: false, reason: 'the pcsclite module is not installed (apt-get install libpcsclite-dev, then npm ci)' };
  }
  return { ok: true, reason: '' };
}

/**
 * `describe` for tests that need a real pcscd: skipped with the reason when the machine lacks
 * it, except under CI (`process.env.CI`), where the lack is a failure.
 */
export function describeWithPcscd(name: string, body: () => void): void {
  const requirement = pcscdRequirement();
  if (requirement.ok) describe(name, body);
  else if (process.env.CI) {
    describe(name, () => {
      it('has what the pcscd tests need', () => {
        throw new Error(`pcscd tests cannot run under CI: ${requirement.reason}`);
      });
    });
  } else {
    console.warn(`skipping "${name}": ${requirement.reason}`);
    describe.skip(`${name} (skipped: ${requirement.reason})`, body);
  }
}

/** Alive and not a zombie (a zombie still answers kill 0). */
function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function processName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function runningPcscds(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => processName(pid) === 'pcscd' && processAlive(pid));
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the machine-wide lock. A lock whose owner died is broken, and the pcscd that owner had
 * started (recorded in the lock) is ended by its PID: it is a test's own leftover.
 */
async function acquireLock(deadline: number): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'owner'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readPid(join(LOCK_DIR, 'owner'));
    if (owner !== undefined && !processAlive(owner)) {
      const orphan = readPid(join(LOCK_DIR, 'pcscd'));
      if (orphan !== undefined && processAlive(orphan) && processName(orphan) === 'pcscd') process.kill(orphan, 'SIGKILL');
      rmSync(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another test run holds the pcscd lock ${LOCK_DIR} (owner pid ${owner ?? 'unknown'})`);
    await sleep(100);
  }
}

function releaseLock(): void {
  if (readPid(join(LOCK_DIR, 'owner')) === process.pid) rmSync(LOCK_DIR, { recursive: true, force: true });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `pcscd --foreground` and resolves once it is ready with its vpcd readers. Fails when
 * another pcscd already runs (the tests never end a process they did not start).
 */
export async function startPcscd(options: { timeoutMs?: number } = {}): Promise<RunningPcscd> {
  const timeoutMs = options.timeoutMs ?? 50_000;
  const deadline = Date.now() + timeoutMs;
  const pcscd = findExecutable('pcscd');
  if (!pcscd) throw new Error('pcscd is not installed');
  await acquireLock(deadline);
  try {
    const others = runningPcscds();
    if (others.length > 0) {
      throw new Error(`another pcscd is running (pid ${others.join(', ')}), not started by these tests: stop it first (systemctl stop pcscd.socket pcscd)`);
    }
    mkdirSync(SOCKET_DIR, { recursive: true });
    return await launch(pcscd, deadline);
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function launch(pcscd: string, deadline: number): Promise<RunningPcscd> {
  const child = spawn(pcscd, ['--foreground', '--info'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('pcscd did not start');
  writeFileSync(join(LOCK_DIR, 'pcscd'), String(pid));
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-LOG_LIMIT);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const gone = exited(child);

  let stopped = false;
  const handle: RunningPcscd = {
    pid,
    readers: [],
    log: () => output,
    kill: async () => {
      if (processAlive(pid)) child.kill('SIGKILL');
      await gone;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
      releaseLock();
    },
  };

  let exitedEarly = false;
  void gone.then(() => {
    exitedEarly = true;
  });
  while (!/daemon ready/.test(output)) {
    if (exitedEarly || Date.now() > deadline) {
      await handle.stop();
      throw new Error(`pcscd ${exitedEarly ? 'exited' : 'was not ready in time'}; its output:\n${output}`);
    }
    await sleep(50);
  }
  const names = [...output.matchAll(/Attempting startup of (.+?) using \S*libifdvpcd/g)].map((m) => m[1]!);
  const ports = [...output.matchAll(/Waiting for virtual ICC on port (\d+)/g)].map((m) => Number(m[1]));
  const readers = names.map((name, i) => ({ name, port: ports[i]! })).filter((reader) => reader.port !== undefined);
  if (readers.length === 0) {
    await handle.stop();
    throw new Error(`pcscd started without vpcd readers; its output:\n${output}`);
  }
  return { ...handle, readers };
}
