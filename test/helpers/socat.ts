import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why a pty test cannot run here, or undefined when socat is installed. Under CI a missing socat is a failure, not a skip. */
export function socatMissingReason(): string | undefined {
  const probe = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  if (probe.error === undefined && probe.status === 0) return undefined;
  const reason = 'socat is not installed (apt-get install socat): the pty pair tests need it';
  if (process.env.CI) throw new Error(`${reason}; CI must have it`);
  return reason;
}

export interface PtyPair {
  /** Symlink to one pty (the gateway's end). */
  readonly a: string;
  /** Symlink to the other pty (the device's end). */
  readonly b: string;
  readonly pid: number;
  readonly folder: string;
  /** Kills socat (by its PID): both ends lose their peer, like a pulled cable. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B` in a fresh temp dir (or in `folder`, to
 * plug a new pair in where an old one was) and waits for both links.
 */
export async function startPtyPair(timeoutMs = 5000, folder?: string): Promise<PtyPair> {
  const dir = folder ?? mkdtempSync(join(tmpdir(), 'fiscal-pty-'));
  const a = join(dir, 'A');
  const b = join(dir, 'B');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const pid = child.pid;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid!, 'SIGTERM');
      await exited(child);
    }
    if (folder === undefined) rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  // socat logs "starting data transfer loop" once both ptys exist and their links are made.
  while (!(existsSync(a) && existsSync(b) && stderr.includes('starting data transfer loop'))) {
    if (pid === undefined || child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`socat did not create the pty pair: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { a, b, pid: pid!, folder: dir, stop };
}
