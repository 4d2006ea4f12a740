import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { entryPoint } from '../../helpers/entryPoints.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export interface SimulatorReady {
  readonly pid: number;
  readonly machineNumber: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly invoices: number;
  readonly dailyRecords: number;
  readonly [key: string]: unknown;
}

export interface SimulatorProcess {
  readonly ready: SimulatorReady;
  /** Sends one control line (`{"faults":…}`, `{"restoreLink":true}`…) and waits for its answer. */
  control(line: object): Promise<void>;
  /** SIGTERM by PID, then waits for the exit. */
  stop(): Promise<void>;
}

/** Runs E's register simulator (`fixtures/simulator/serve.ts`) as its own process on one end of a pty pair. */
export async function startSimulatorProcess(args: readonly string[], timeoutMs = 60_000): Promise<SimulatorProcess> {
  const child: ChildProcess = spawn(process.execPath, [...entryPoint('simulator-serve'), ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: Record<string, unknown>) => void)[] = [];
  const early: Record<string, unknown>[] = [];
  lines.on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    const next = waiting.shift();
    if (next) next(line);
    else early.push(line);
  });
  const nextLine = () => new Promise<Record<string, unknown>>((resolve, reject) => {
    const queued = early.shift();
    if (queued) {
      resolve(queued);
      return;
    }
    const timer = setTimeout(() => reject(new Error(`simulator did not answer: ${stderr}`)), timeoutMs);
    const onExit = () => reject(new Error(`simulator exited: ${stderr}`));
    child.once('exit', onExit);
    waiting.push((line) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(line);
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, 'SIGTERM');
      await exited;
    }
  };
  let ready: Record<string, unknown>;
  try {
    ready = await nextLine();
  } catch (error) {
    await stop();
    throw error;
  }
  if (ready.event !== 'ready') {
    await stop();
    throw new Error(`simulator did not start: ${JSON.stringify(ready)} ${stderr}`);
  }
  return {
    ready: ready as unknown as SimulatorReady,
    async control(line: object) {
      child.stdin!.write(`${JSON.stringify(line)}\n`);
      const answer = await nextLine();
      if (answer.event !== 'done') throw new Error(`simulator refused ${JSON.stringify(line)}: ${JSON.stringify(answer)}`);
    },
    stop,
  };
}
