// fiscald `--simulate=0` whose one register is the simulator as a process of its own on a socat pty pair, found
// through the allow-list (a real register is another machine): the setting of the benchmarks that measure the
// daemon while it talks to a register over a line (bench/api-daemon.ts during an upgrade, bench/upgrade-rss.ts).
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPtyPair } from '../test/helpers/socat.js';
import { startSimulatorProcess } from '../test/integration/serial/simulatorProcess.js';
import { startTimedDaemon, trustedKeysDir, type TimedDaemon } from './daemonProcess.js';

export interface DaemonOnSerialRegister {
  readonly daemon: TimedDaemon;
  /** The register as fiscald lists it once online. */
  readonly device: { readonly id: string; readonly model: string };
  readonly simulatorPid: number;
  /** Stops fiscald, the simulator and the pty pair, and removes what was made for them. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startDaemonOnSerialRegister(options: {
  readonly baud: number;
  readonly simulatorArgs: readonly string[];
  /** Extra `devices` settings of fiscald's config (e.g. pollIntervalMs). */
  readonly devices?: Record<string, unknown>;
  readonly entry?: string;
}): Promise<DaemonOnSerialRegister> {
  const work = mkdtempSync(join(tmpdir(), 'fg-bench-serial-register-'));
  const trusted = trustedKeysDir();
  const pty = await startPtyPair();
  let daemon: TimedDaemon | undefined;
  const simulator = await startSimulatorProcess(['--port', pty.b, '--baud', String(options.baud), ...options.simulatorArgs], 60_000)
    .catch(async (error: unknown) => { await pty.stop(); throw error; });
  const stop = async () => {
    await daemon?.stop().catch(() => undefined);
    await simulator.stop();
    await pty.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(trusted, { recursive: true, force: true });
  };
  try {
    const config = join(work, 'fiscald.json');
    writeFileSync(config, JSON.stringify({ devices: { allow: [pty.a], baudRate: options.baud, buses: ['serial'], ...options.devices } }));
    daemon = await startTimedDaemon({ simulate: 0, args: ['--config', config, '--trusted-keys', trusted], ...(options.entry === undefined ? {} : { entry: options.entry }) });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const device = (await daemon.get<{ devices: { id: string; state: string; identity?: { model: string } }[] }>('/v1/devices')).json.devices[0];
      if (device?.state === 'online' && device.identity !== undefined) {
        return { daemon, device: { id: device.id, model: device.identity.model }, simulatorPid: simulator.ready.pid, stop };
      }
      if (Date.now() > deadline) throw new Error(`the register did not come online:\n${daemon.output()}`);
      await sleep(100);
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Like firmware: the first `size` bytes of the node binary running this bench (code, tables, strings). */
export function firmwareLikeImage(size: number): Uint8Array {
  const image = new Uint8Array(size);
  const fd = openSync(process.execPath, 'r');
  try {
    const read = readSync(fd, image, 0, size, 0);
    if (read !== size) throw new Error(`${process.execPath} has only ${read} bytes, not ${size}`);
    return image;
  } finally {
    closeSync(fd);
  }
}
