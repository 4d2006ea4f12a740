import { diagnosticsRoutes, DIAGNOSTICS_KIND } from '../../api/routes/diagnosticsRoutes.js';
import { deviceDiagnostics } from '../../services/diagnostics/deviceDiagnostics.js';
import type { Area, AreaDeps } from './Area.js';

/** Diagnostics (self-checks, status, clock). They only read: one cut short by a restart is simply failed, the default. */
export function diagnosticsArea(deps: AreaDeps): Area {
  return { plugins: [diagnosticsRoutes(deps.devices, (device) => deviceDiagnostics(device, deps.registerUtcOffsetMinutes))], definitions: [{ kind: DIAGNOSTICS_KIND }] };
}
