import type { Logger } from 'pino';
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
import { createSimulatedReaders } from './simulatedReaders.js';
import { createSimulatedRegisters } from './simulatedRegisters.js';

/**
 * The device registry over real hardware (discovery with the allow-list) or over `--simulate` registers,
 * and the API areas that use it.
 */
export async function createDeviceSide(config: DaemonConfig, logger: Logger, context?: DeviceSideContext): Promise<DeviceSide> {
  const link = registerSessionLink({ logger: logger.child({ area: 'link' }) });
  const simulatorLogger = logger.child({ area: 'simulator' });
  const simulated = config.simulate > 0
    ? await createSimulatedRegisters(config.simulate, { logger: simulatorLogger, timing: config.simulatorTiming, dataDir: config.dataDir })
    : [];
  // Simulating: virtual PC/SC-style readers with virtual cards stand in for pcscd's readers.
  const simulatedReaders = simulated.length > 0
    ? await createSimulatedReaders({ userCard: simulated[0]!.cards.user, dataDir: config.dataDir, logger: simulatorLogger })
    : undefined;
  const discovery = simulated.length === 0 ? new DeviceDiscovery(config.devices, { logger: logger.child({ area: 'discovery' }) }) : undefined;
  const registry = new DeviceRegistry<RegisterSession>({ link, logger: logger.child({ area: 'devices' }), ...(discovery ? { discovery } : {}) });
  for (const register of simulated) registry.add(register.transport, { simulated: true });
  registry.start();
  const backup = await registerBackup(config.dataDir, registry, logger.child({ area: 'backup' }));
  return {
    directory: registry,
    plugins: [
      diagnosticsRoutes(registryDiagnosticsAccess(registry)), backup.plugin,
      ...changesArea({ registers: registry, backups: backup }),
      ...initializeArea({
        registry, dataDir: config.dataDir, logger, pcsc: simulatedReaders?.pcsc ?? lazyPcsc({ logger }),
        ...(context === undefined ? {} : { busyWith: (deviceId: string) => context.jobs.runningOn(deviceId) }),
      }),
    ],
    // Diagnostics only read: one cut short by a restart is simply failed, and the default says so.
    definitions: [{ kind: DIAGNOSTICS_KIND }, ...backup.definitions],
    async close() {
      await registry.close();
      await simulatedReaders?.close();
      await Promise.all(simulated.map((register) => register.close()));
    },
  };
}
