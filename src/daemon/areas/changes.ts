import { changesRoutes } from '../../api/routes/changesRoutes.js';
import { deregisterRoutes, deregistrationRun } from '../../api/routes/deregisterRoutes.js';
import { DEREGISTER_JOB_KIND } from '../../services/deregister/runDeregistration.js';
import { reconcileDeregistration } from '../../services/deregister/reconcileDeregistration.js';
import { rollsRoutes } from '../../api/routes/rollsRoutes.js';
import { changeJobDefinition } from '../../services/changes/reconcileChange.js';
import { ROLL_JOB_KIND } from '../../services/rolls/distributeRoll.js';
import { reconcileRoll } from '../../services/rolls/reconcileRoll.js';
import type { BackupArea } from './backup.js';
import type { Area, AreaDeps } from './Area.js';

/**
 * What a technician does to a registered register after initialization: registration changes, invoice rolls
 * and deregistration (whose backup gate is the backup area's, passed in as a port). A registration change cut by a restart is
 * reconciled from its checkpoint over the register lent back to it; a roll cut short is resumed under the same job
 * with its checkpointed 31 mark (a roll left distributed is mounted, never a second one taken); a deregistration cut
 * short runs again under the same job (it changes no fiscal data; its backup gate finds the backup it had made).
 */
export function changesArea(deps: AreaDeps, backups: BackupArea): Area {
  const deregistration = {
    registers: deps.devices, backupGate: backups.gate,
    ...(deps.registerUtcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: deps.registerUtcOffsetMinutes }),
  };
  return {
    plugins: [changesRoutes(deps.devices), rollsRoutes(deps.devices), deregisterRoutes(deregistration)],
    definitions: [
      changeJobDefinition({ logger: deps.logger.child({ area: 'cards' }) }),
      {
        kind: ROLL_JOB_KIND,
        // The original run checked the service records; the resumed one plans from the register, the cards and its own mark.
        reconcile: async (job) => reconcileRoll(job, (signal, work) => deps.devices.withDevice(job.deviceId, signal, (device) => work(device.session)), () => []),
      },
      {
        kind: DEREGISTER_JOB_KIND,
        // It changes no fiscal data: it runs again under the same job, as its route started it.
        reconcile: async (job, device) => reconcileDeregistration(job, (request) => deregistrationRun(deregistration, {
          deviceId: job.deviceId, backupKey: device.identity.machineNumber, operator: job.operator,
          history: () => deps.records?.list({ device: device.identity.machineNumber }) ?? [],
        }, request)),
      },
    ],
  };
}
