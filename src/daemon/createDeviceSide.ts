import type { Logger } from 'pino';
import { GatewayError } from '../../contracts/errors/index.js';
import { diagnosticsRoutes, DIAGNOSTICS_KIND } from '../api/routes/diagnosticsRoutes.js';
import { changesArea } from '../api/routes/changesArea.js';
import { initializeArea } from '../api/routes/initializeArea.js';
import { lazyPcsc } from '../devices/readers/lazyPcsc.js';
import { DeviceDiscovery } from '../devices/discovery/DeviceDiscovery.js';
import { DeviceRegistry } from '../devices/DeviceRegistry.js';
import type { RegisterSession } from '../devices/RegisterSession.js';
import { registerSessionLink } from '../devices/registry/registerSessionLink.js';
import type { DaemonConfig } from './config.js';
import type { DeviceSide, DeviceSideContext } from './DeviceSide.js';
import { registerBackup } from './registerBackup.js';
import { registryDiagnosticsAccess } from './registerDiagnostics.js';
import type { Simulation, SimulationLoader } from './Simulation.js';

export interface DeviceSideOptions {
  readonly config: DaemonConfig;
  readonly logger: Logger;
  readonly context?: DeviceSideContext;
  /** How to load the simulation for `--simulate` (the entry point passes a loader of fixtures/simulate). */
  readonly loadSimulation?: SimulationLoader;
}

async function openSimulation(options: DeviceSideOptions): Promise<Simulation | undefined> {
  const { config, logger } = options;
  if (config.simulate === 0) return undefined;
  if (options.loadSimulation === undefined) {
    throw new GatewayError('CONFIG_INVALID', { params: { detail: 'simulate: this fiscald was built without the simulator' } });
  }
  const module = await options.loadSimulation();
  return module.openSimulation({
    count: config.simulate, logger: logger.child({ area: 'simulator' }), dataDir: config.dataDir,
    ...(config.simulatorTiming === undefined ? {} : { timing: config.simulatorTiming }),
    ...(config.simulatorProfile === undefined ? {} : { profile: config.simulatorProfile }),
  });
}

/**
 * The device registry over real hardware (discovery with the allow-list) or over `--simulate` registers
 * (loaded only then), and the API areas that use it.
 */
export async function createDeviceSide(options: DeviceSideOptions): Promise<DeviceSide> {
  const { config, logger, context } = options;
  const link = registerSessionLink({ logger: logger.child({ area: 'link' }) });
  // Simulating: simulated registers, and virtual PC/SC-style readers with virtual cards instead of pcscd's readers.
  const simulation = await openSimulation(options);
  const discovery = simulation === undefined ? new DeviceDiscovery(config.devices, { logger: logger.child({ area: 'discovery' }) }) : undefined;
  const registry = new DeviceRegistry<RegisterSession>({ link, logger: logger.child({ area: 'devices' }), ...(discovery ? { discovery } : {}) });
  for (const transport of simulation?.registers ?? []) registry.add(transport, { simulated: true });
  registry.start();
  const backup = await registerBackup(config.dataDir, registry, logger.child({ area: 'backup' }));
  return {
    directory: registry,
    plugins: [
      diagnosticsRoutes(registryDiagnosticsAccess(registry)), backup.plugin,
      ...changesArea({ registers: registry, backups: backup }),
      ...initializeArea({
        registry, dataDir: config.dataDir, logger, pcsc: simulation?.pcsc ?? lazyPcsc({ logger }),
        ...(context === undefined ? {} : { busyWith: (deviceId: string) => context.jobs.runningOn(deviceId) }),
      }),
    ],
    // Diagnostics only read: one cut short by a restart is simply failed, and the default says so.
    definitions: [{ kind: DIAGNOSTICS_KIND }, ...backup.definitions],
    async close() {
      await registry.close();
      await simulation?.close();
    },
  };
}
