import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { DestinationStream } from 'pino';
import { resolveConfig } from '../../../src/daemon/config.js';
import { createDeviceSide } from '../../../src/daemon/createDeviceSide.js';
import { Daemon } from '../../../src/daemon/Daemon.js';
import { ensureToken, prepareDataDir } from '../../../src/daemon/dataDir.js';
import type { DeviceSnapshot } from '../../../src/devices/Device.js';
import { createLogger, silentLogger } from '../../../src/log.js';

/**
 * fiscald as `bin/fiscald.js --simulate=2` puts it together (data dir, token, store, job runner, every API
 * area of the device side, simulated registers and readers), in this process: for the tests that must reach
 * every registered route, and look at what the daemon keeps and logs.
 */
export interface InProcessDaemon {
  readonly daemon: Daemon;
  readonly dataDir: string;
  readonly token: string;
  /** The new (uninitialized) register and the initialized one with a year of history. */
  readonly fresh: DeviceSnapshot;
  readonly initialized: DeviceSnapshot;
  request(options: InjectOptions & { auth?: boolean }): Promise<LightMyRequestResponse>;
  /** Shuts the daemon down as SIGTERM does (store closed, simulated registers saved); the data dir stays. */
  shutdown(): Promise<void>;
  /** Shuts down (if still running) and removes the data dir. */
  stop(): Promise<void>;
}

export async function startInProcessDaemon(options: { log?: DestinationStream; config?: Record<string, unknown> } = {}): Promise<InProcessDaemon> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fiscald-inproc-'));
  const logger = options.log === undefined ? silentLogger : createLogger({ level: 'trace' }, options.log);
  prepareDataDir(dataDir, logger);
  const { token } = ensureToken(dataDir, logger);
  const config = resolveConfig({ listen: '127.0.0.1:0', dataDir, simulate: 2, simulatorTiming: { timed: false }, logLevel: 'trace', ...options.config });
  const daemon = await Daemon.start({
    config, token, logger, version: 'test',
    devices: (context) => createDeviceSide({ config, logger, context, loadSimulation: () => import('../../../fixtures/simulate/index.js') }),
  });
  const list = async (): Promise<DeviceSnapshot[]> => {
    const res = await daemon.app.inject({ method: 'GET', url: '/v1/devices', headers: { host: `127.0.0.1:${daemon.port}`, authorization: `Bearer ${token}` } });
    return (res.json() as { devices: DeviceSnapshot[] }).devices;
  };
  for (let tries = 0; (await list()).filter((d) => d.state === 'online').length < 2; tries += 1) {
    if (tries > 200) throw new Error('the simulated registers did not come online');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const devices = await list();
  let stopped = false;
  const shutdown = async () => {
    if (!stopped) await daemon.shutdown('test over');
    stopped = true;
  };
  return {
    daemon, dataDir, token,
    fresh: devices.find((d) => d.transport.path === 'memory:sim-1')!,
    initialized: devices.find((d) => d.transport.path === 'memory:sim-2')!,
    request: ({ auth = true, headers, ...rest }) => daemon.app.inject({
      ...rest,
      headers: { host: `127.0.0.1:${daemon.port}`, ...(auth ? { authorization: `Bearer ${token}` } : {}), ...headers },
    }),
    shutdown,
    async stop() {
      await shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
