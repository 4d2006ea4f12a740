import type { Logger } from 'pino';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { silentLogger } from '../../log.js';
import type { BackupGateOptions as BackupGatePortOptions, BackupGatePass } from '../common/BackupGate.js';
import type { BackupStore } from './BackupStore.js';

export const DEFAULT_BACKUP_MAX_AGE_MS = 60 * 60 * 1000;
/** A backup stamped this far in the future (clock skew) is still taken as fresh; further, it is not trusted. */
const FUTURE_TOLERANCE_MS = 60 * 1000;

/** The gate's options: the port's (src/services/common/BackupGate.ts) plus what only the backup service supplies. */
export interface BackupGateOptions extends BackupGatePortOptions {
  /** Always make a new backup, even when a fresh verified one exists. */
  readonly forceNew?: boolean;
  /**
   * Why a verified, fresh-enough backup no longer describes the register (backupStillCurrent: this gateway's
   * service records since it was made, the register's record counts); undefined while it still does. Without
   * it, age and verification alone decide.
   */
  readonly stillCurrent?: (candidate: { readonly id: string; readonly createdAt: string }) => Promise<string | undefined>;
  readonly log?: Logger;
}

export type { BackupGatePass };

/**
 * The gate of every operation that changes a register (upgrade, deregistration, repair), run as its
 * first stage: reuse a backup of this device younger than `maxAgeMs` that re-verifies (every file
 * re-hashed now) and still describes the register (`stillCurrent`: nothing changed on it since), or make
 * one with `makeBackup` and verify it. Throws BACKUP_GATE_FAILED when no
 * verified backup can be had, so the operation stops before it changes anything.
 *
 * A backup whose manifest names completeness problems (a gap, a bad signature) still passes: it is
 * the faithful copy of a register that holds that damage, and a repair is what such a register needs.
 * The count of problems goes into the pass for the job result and service record.
 */
export async function ensureVerifiedBackup(
  deviceId: string,
  store: BackupStore,
  makeBackup: () => Promise<{ readonly manifest: { readonly id: string } }>,
  options: BackupGateOptions,
): Promise<BackupGatePass> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? silentLogger;
  const maxAge = options.maxAgeMs ?? DEFAULT_BACKUP_MAX_AGE_MS;
  const refuse = (detail: string, cause?: unknown) =>
    new GatewayError('BACKUP_GATE_FAILED', { params: { operation: options.operation, detail }, cause, data: { deviceId } });

  if (!options.forceNew) {
    for (const candidate of await store.list({ device: deviceId })) {
      const age = now().getTime() - Date.parse(candidate.createdAt);
      if (age > maxAge || age < -FUTURE_TOLERANCE_MS) continue;
      const verification = await store.verify(candidate.id, now);
      if (verification.ok) {
        const stale = await options.stillCurrent?.(candidate);
        if (stale !== undefined) {
          log.info({ deviceId, backupId: candidate.id, reason: stale }, 'recent backup no longer describes the register; not reused');
          continue;
        }
        log.info({ deviceId, backupId: candidate.id, ageMs: age }, 'reusing a verified backup');
        return { backupId: candidate.id, reused: true, createdAt: candidate.createdAt, verifiedAt: verification.verifiedAt, problems: candidate.problems };
      }
      log.warn({ deviceId, backupId: candidate.id, failures: verification.failures }, 'recent backup does not verify; not reused');
    }
  }

  let id: string;
  try {
    id = (await makeBackup()).manifest.id;
  } catch (cause) {
    if (isGatewayError(cause, 'CANCELLED')) throw cause;
    throw refuse(isGatewayError(cause) ? `${cause.code}: ${cause.message}` : String(cause), cause);
  }
  const verification = await store.verify(id, now);
  const first = verification.failures[0];
  if (first !== undefined) throw refuse(`backup ${id} does not verify: ${first.file} ${first.reason}`);
  const summary = await store.get(id);
  log.info({ deviceId, backupId: id }, 'made and verified a backup');
  return { backupId: id, reused: false, createdAt: summary.createdAt, verifiedAt: verification.verifiedAt, problems: summary.problems };
}
