import type { Logger } from 'pino';
import { GatewayError } from '../../contracts/errors/index.js';
import { DeviceDiscovery } from '../devices/discovery/DeviceDiscovery.js';
import { DeviceRegistry } from '../devices/DeviceRegistry.js';
import { createDevicePort } from '../devices/lease/devicePort.js';
import { lazyPcsc } from '../devices/readers/lazyPcsc.js';
import type { RegisterSession } from '../devices/RegisterSession.js';
import { registerSessionLink } from '../devices/registry/registerSessionLink.js';
import type { AreaDeps } from './areas/Area.js';
import { backupArea } from './areas/backup.js';
import { changesArea } from './areas/changes.js';
import { diagnosticsArea } from './areas/diagnostics.js';
import { initializeArea } from './areas/initialize.js';
import { packagesArea } from './areas/packages.js';
import { repositoryArea, repositoryPackageKeys } from './areas/repository.js';
import { upgradeArea } from './areas/upgrade.js';
import type { DaemonConfig } from './config.js';
import type { DeviceSide, DeviceSideContext } from './DeviceSide.js';
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
    count: config.simulate, logger: logger.child({ area: 'simulator' }), dataDir: config.dataDir, trustedKeys: config.trustedKeys,
    ...(config.simulatorTiming === undefined ? {} : { timing: config.simulatorTiming }),
    ...(config.simulatorProfile === undefined ? {} : { profile: config.simulatorProfile }),
    utcOffsetMinutes: config.registerUtcOffset,
  });
}

/**
 * The device registry over real hardware (discovery with the allow-list) or over `--simulate` registers
 * (loaded only then), the DevicePort over it, and the feature areas (src/daemon/areas) built from that port.
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
  // The one way every area borrows a register; the job runner shares the registry's owner table through it.
  const devices = createDevicePort(registry, context?.jobs);
  const deps: AreaDeps = {
    devices, registers: registry, dataDir: config.dataDir, logger, registerUtcOffsetMinutes: config.registerUtcOffset,
    ...(context === undefined ? {} : { busyWith: (deviceId: string) => context.jobs.runningOn(deviceId), jobs: context.jobs }),
    ...(context?.records === undefined ? {} : { records: context.records }),
    ...(simulation?.stick === undefined ? {} : { stick: simulation.stick }),
  };
  const backup = await backupArea(deps);
  const packages = await packagesArea(deps, { trustedKeys: config.trustedKeys, additionalKeys: repositoryPackageKeys(config.dataDir, config.repository) });
  // One PC/SC context for the areas that use readers (initialization's user card, the IC-card upgrade path).
  const pcsc = simulation?.pcsc ?? lazyPcsc({ logger });
  const areas = [
    diagnosticsArea(deps), backup, changesArea(deps, backup),
    initializeArea(deps, { pcsc }),
    packages, upgradeArea(deps, { store: packages.store, backupGate: backup.gate, pcsc }),
    await repositoryArea(deps, { settings: config.repository, store: packages.store }),
  ];
  return {
    directory: registry,
    plugins: areas.flatMap((area) => area.plugins),
    definitions: areas.flatMap((area) => area.definitions),
    feed: { port: devices, onEvent: (listener) => registry.onEvent(listener), get: (id) => registry.get(id), list: () => registry.list() },
    async close() {
      await registry.close();
      await simulation?.close();
    },
  };
}
