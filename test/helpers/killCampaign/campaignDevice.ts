import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from '../daemon.js';
import { startPtyPair, type PtyPair } from '../socat.js';
import { startSimulatorProcess, type SimulatorProcess } from '../../integration/serial/simulatorProcess.js';
import { CAMPAIGN_BAUD } from './seedRegisterState.js';

/**
 * `inproc`: `fiscald --simulate=1`, the register lives inside the daemon and dies with it (a power loss).
 * `pty`: the simulator (fixtures/simulator/serve.ts) is its own process on a socat pty pair; the daemon
 * finds it through its allow-list, and the register outlives the daemon's kill.
 */
export type CampaignMode = 'inproc' | 'pty';
export const campaignModes: readonly CampaignMode[] = ['inproc', 'pty'];

/** Where `fiscald --simulate` keeps simulated register number 1 (its slot cards included) in its data dir. */
export function inprocRegisterStatePath(dataDir: string): string {
  return join(dataDir, 'simulator', 'register-1.json');
}

/** The register side of one run: kept across the daemon's restarts in pty mode, nothing to keep in inproc mode. */
export interface RegisterSide {
  readonly mode: CampaignMode;
  /** The state file to read the truth from once the register has saved it (`release` does). */
  readonly statePath: string;
  /** Extra fiscald arguments that make it find this register. */
  readonly daemonArgs: readonly string[];
  /**
   * Has the running register's state written to `statePath` (pty: the simulator's save control; inproc: the
   * daemon saves a moment after the line goes quiet, so this waits that moment out).
   */
  saveNow(): Promise<void>;
  /** Saves the register's state to `statePath` and lets it go (pty: the simulator is stopped, saving; inproc: nothing, the daemon's stop saved it). */
  release(): Promise<void>;
}

/** fiscald --simulate writes its register's state once the line has been quiet this long (RegisterStateKeeper). */
const INPROC_SAVE_QUIET_MS = 1500;

const modified = (path: string) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;

export async function startRegisterSide(mode: CampaignMode, dataDir: string, statePath: string): Promise<RegisterSide> {
  if (mode === 'inproc') {
    return { mode, statePath, daemonArgs: [], saveNow: () => new Promise((r) => setTimeout(r, INPROC_SAVE_QUIET_MS)), release: async () => undefined };
  }
  const pty: PtyPair = await startPtyPair();
  let simulator: SimulatorProcess;
  try {
    simulator = await startSimulatorProcess(['--port', pty.b, '--baud', String(CAMPAIGN_BAUD), '--state', statePath]);
  } catch (error) {
    await pty.stop();
    throw error;
  }
  const config = join(dataDir, 'campaign-fiscald.json');
  writeFileSync(config, JSON.stringify({ devices: { allow: [pty.a], baudRate: CAMPAIGN_BAUD, buses: ['serial'], pollIntervalMs: 200 } }));
  return {
    mode, statePath, daemonArgs: ['--config', config],
    async saveNow() {
      const before = modified(statePath);
      await simulator.control({ save: true });
      // The simulator answers the control at once and writes the file after (atomically, by a rename).
      const deadline = Date.now() + 5000;
      while (modified(statePath) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
    async release() {
      await simulator.stop();
      await pty.stop();
    },
  };
}

export interface CampaignDaemon extends RunningDaemon {
  /** GET /v1/… with the daemon's token. */
  get<T>(path: string): Promise<{ status: number; json: T }>;
  post<T>(path: string, body?: unknown): Promise<{ status: number; json: T }>;
}

/** Starts fiscald on `dataDir` for this register side and waits until the register `machineNumber` is online. */
export async function startCampaignDaemon(side: RegisterSide, dataDir: string, machineNumber: string, timeoutMs = 60_000): Promise<CampaignDaemon> {
  const daemon = await startDaemon({ dataDir, simulate: side.mode === 'inproc' ? 1 : 0, args: [...side.daemonArgs] });
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${daemon.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${daemon.token}`, 'x-operator': 'kill-campaign', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: (text === '' ? {} : JSON.parse(text)) as T };
  };
  const campaign: CampaignDaemon = {
    ...daemon,
    output: () => daemon.output(),
    stop: () => daemon.stop(),
    kill9: () => daemon.kill9(),
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { json } = await campaign.get<{ devices: { id: string; state: string }[] }>('/v1/devices');
    if (json.devices.some((device) => device.id === machineNumber && device.state === 'online')) return campaign;
    if (Date.now() > deadline) {
      await daemon.kill9();
      throw new Error(`register ${machineNumber} did not come online (${JSON.stringify(json.devices)}):\n${daemon.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
