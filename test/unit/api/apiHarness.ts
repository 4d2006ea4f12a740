import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { DeviceDirectory } from '../../../src/api/DeviceDirectory.js';
import { buildServer } from '../../../src/api/buildServer.js';
import type { BorrowedDevice, DevicePort } from '../../../src/devices/DevicePort.js';
import type { DiagnosticsPort } from '../../../src/services/diagnostics/DiagnosticsPort.js';
import { borrowedDevice } from '../../helpers/fakeDevicePort.js';
import { diagnosticsRoutes } from '../../../src/api/routes/diagnosticsRoutes.js';
import type { DeviceSnapshot } from '../../../src/devices/Device.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/Store.js';

export const TOKEN = 'test-token-0123456789';
export const PORT = 18240;

export function snapshot(id: string, state: DeviceSnapshot['state'] = 'online'): DeviceSnapshot {
  return {
    id, state, simulated: true, transport: { kind: 'memory', path: `memory:${id}` },
    identity: { machineNumber: id, model: 'SIM-1', hardwareRevision: 'A', firmwareVersion: '1.2.3', bootloaderVersion: '1.0.0' },
  };
}

/** An in-test device list standing in for the registry. */
export class FakeDirectory implements DeviceDirectory {
  constructor(readonly devices: DeviceSnapshot[]) {}
  list() { return this.devices; }
  get(id: string) { return this.devices.find((d) => d.id === id); }
}

/** A DevicePort lending registers whose diagnostics (`diagnosticsOf`) wait on `hold` (if set) so tests can keep a device busy. */
export class FakeAccess implements DevicePort {
  hold: Promise<void> | undefined;
  clockOffsetMs = 0;
  failingCheck: string | undefined;
  memoryFault = false;
  async withDevice<T>(id: string, signal: AbortSignal, fn: (device: BorrowedDevice) => Promise<T>): Promise<T> {
    if (signal.aborted) throw signal.reason;
    return fn(borrowedDevice(id));
  }

  readonly diagnosticsOf = (device: BorrowedDevice): DiagnosticsPort => {
    const deviceId = device.id;
    const port: DiagnosticsPort = {
      machineNumber: deviceId,
      selfCheck: async (name, signal) => {
        if (this.hold) await Promise.race([this.hold, new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))]);
        if (name === this.failingCheck) throw new GatewayError('BAD_REQUEST', { params: { detail: 'ER 25 fiscal memory fault' } });
        return { passed: true };
      },
      status: async () => ({ initialized: deviceId !== 'NEW', fiscalCardPresent: true, userCardPresent: deviceId === 'NEW', locks: { fiscalMemoryFault: this.memoryFault }, raw: { mode: 'fiscal' } }),
      clock: async () => new Date(Date.now() + this.clockOffsetMs),
    };
    return port;
  };
}

export interface Harness {
  app: FastifyInstance;
  store: Store;
  jobs: JobRunner;
  directory: FakeDirectory;
  access: FakeAccess;
  request(options: InjectOptions & { auth?: boolean }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function harness(options: { corsOrigins?: string[]; port?: () => number } = {}): Promise<Harness> {
  const store = openStore(':memory:');
  const jobs = new JobRunner({ store });
  const directory = new FakeDirectory([snapshot('1100000000000001'), snapshot('1100000000000002'), snapshot('OFF', 'offline')]);
  const access = new FakeAccess();
  const app = await buildServer(
    { jobs, store, devices: directory, logger: silentLogger, version: '0.1.0-test' },
    { token: TOKEN, port: options.port ?? (() => PORT), corsOrigins: options.corsOrigins ?? ['https://console.example'], plugins: [diagnosticsRoutes(access, access.diagnosticsOf)] },
  );
  return {
    app, store, jobs, directory, access,
    request: ({ auth = true, headers, ...rest }) => app.inject({
      ...rest,
      headers: { host: `127.0.0.1:${PORT}`, ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}), ...headers },
    }),
    close: async () => {
      await jobs.drain(1000);
      await app.close();
      store.close();
    },
  };
}
