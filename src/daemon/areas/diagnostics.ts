import { diagnosticsRoutes, DIAGNOSTICS_KIND } from '../../api/routes/diagnosticsRoutes.js';
import { readCard } from '../../services/cards/readCard.js';
import { deviceDiagnostics } from '../../services/diagnostics/deviceDiagnostics.js';
import { PackageStore } from '../../services/packages/PackageStore.js';
import { newestFirmwareFor } from '../../services/diagnostics/newestFirmware.js';
import type { Area, AreaDeps } from './Area.js';

/** Diagnostics (the check registry, cards read through the register's slots). They only read: one cut short by a restart is simply failed, the default. */
export function diagnosticsArea(deps: AreaDeps): Area {
  // Only listed (every package kept there was verified against the trusted keys when it was uploaded).
  const packages = PackageStore.forDataDir(deps.dataDir, { trustedKeysDir: '', logger: deps.logger.child({ area: 'diagnostics' }) });
  const options = (deviceId: string) => ({
    utcOffsetMinutes: deps.registerUtcOffsetMinutes,
    known: async () => {
      const model = deps.registers.list().find((r) => r.id === deviceId)?.identity?.model;
      const newest = model === undefined ? undefined : newestFirmwareFor(model, await packages.list());
      return newest === undefined ? {} : { newestTrustedFirmware: newest };
    },
  });
  return {
    plugins: [diagnosticsRoutes(deps.devices, (device) => deviceDiagnostics(device, deps.registerUtcOffsetMinutes, (channel) => readCard(channel)), options)],
    definitions: [{ kind: DIAGNOSTICS_KIND }],
  };
}
