import { changesRoutes } from '../../api/routes/changesRoutes.js';
import { deregisterRoutes } from '../../api/routes/deregisterRoutes.js';
import { rollsRoutes } from '../../api/routes/rollsRoutes.js';
import type { BackupArea } from './backup.js';
import type { Area, AreaDeps } from './Area.js';

/**
 * What a technician does to a registered register after initialization: registration changes, invoice rolls
 * and deregistration (whose backup gate uses the backup area). A run cut by a restart fails as interrupted, and
 * running it again finds where it stopped (a roll left distributed is mounted; a change reads the register
 * first; a deregistration changes no fiscal data).
 */
export function changesArea(deps: AreaDeps, backups: BackupArea): Area {
  return {
    plugins: [
      changesRoutes(deps.devices), rollsRoutes(deps.devices),
      deregisterRoutes({ registers: deps.devices, backups: { store: backups.store, devices: backups.devices } }),
    ],
    definitions: [],
  };
}
