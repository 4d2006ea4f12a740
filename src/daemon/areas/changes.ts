import { changesRoutes } from '../../api/routes/changesRoutes.js';
import { deregisterRoutes } from '../../api/routes/deregisterRoutes.js';
import { rollsRoutes } from '../../api/routes/rollsRoutes.js';
import { changeJobDefinition } from '../../services/changes/reconcileChange.js';
import { ROLL_JOB_KIND } from '../../services/rolls/distributeRoll.js';
import { reconcileRoll } from '../../services/rolls/reconcileRoll.js';
import type { BackupArea } from './backup.js';
import type { Area, AreaDeps } from './Area.js';

/**
 * What a technician does to a registered register after initialization: registration changes, invoice rolls
 * and deregistration (whose backup gate uses the backup area). A registration change cut by a restart is
 * reconciled from its checkpoint over the register lent back to it; a roll cut short is resumed under the same job
 * with its checkpointed 31 mark (a roll left distributed is mounted, never a second one taken); a deregistration
 * cut short fails as interrupted, and running it again finds where it stopped (it changes no fiscal data).
 */
export function changesArea(deps: AreaDeps, backups: BackupArea): Area {
  return {
    plugins: [
      changesRoutes(deps.devices), rollsRoutes(deps.devices),
      deregisterRoutes({ registers: deps.devices, backups: { store: backups.store, devices: backups.devices } }),
    ],
    definitions: [
      changeJobDefinition({ logger: deps.logger.child({ area: 'cards' }) }),
      {
        kind: ROLL_JOB_KIND,
        // The original run checked the service records; the resumed one plans from the register, the cards and its own mark.
        reconcile: async (job) => reconcileRoll(job, (signal, work) => deps.devices.withDevice(job.deviceId, signal, (device) => work(device.session)), () => []),
      },
    ],
  };
}
