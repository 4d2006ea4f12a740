import { diagnosticsRoutes, DIAGNOSTICS_KIND } from '../../api/routes/diagnosticsRoutes.js';
import { readCard } from '../../services/cards/readCard.js';
import { deviceDiagnostics } from '../../services/diagnostics/deviceDiagnostics.js';
import type { Area, AreaDeps } from './Area.js';

/** Diagnostics (the check registry, cards read through the register's slots). They only read: one cut short by a restart is simply failed, the default. */
export function diagnosticsArea(deps: AreaDeps): Area {
  const options = () => ({ utcOffsetMinutes: deps.registerUtcOffsetMinutes });
  return {
    plugins: [diagnosticsRoutes(deps.devices, (device) => deviceDiagnostics(device, deps.registerUtcOffsetMinutes, (channel) => readCard(channel)), options)],
    definitions: [{ kind: DIAGNOSTICS_KIND }],
  };
}
