import type { BackupAccess } from '../../services/backup/BackupAccess.js';
import type { BackupStore } from '../../services/backup/BackupStore.js';
import type { RegisterLending } from '../../services/rolls/RegisterLending.js';
import type { ApiPlugin } from '../ApiContext.js';
import { changesRoutes } from './changesRoutes.js';
import { deregisterRoutes } from './deregisterRoutes.js';
import { rollsRoutes } from './rollsRoutes.js';

/**
 * What a technician does to a registered register after initialization: registration changes, invoice
 * rolls and deregistration. Their jobs need no reconcile of their own: a run cut by a restart fails as
 * interrupted, and running it again finds where it stopped (a roll left distributed is mounted; a
 * change reads the register first; a deregistration changes no fiscal data).
 */
export function changesArea(deps: { registers: RegisterLending; backups: { store: BackupStore; access: BackupAccess } }): ApiPlugin[] {
  return [changesRoutes(deps.registers), rollsRoutes(deps.registers), deregisterRoutes(deps)];
}
