/**
 * The backup gate as an operation that changes or retires a register sees it (deregistration today, upgrade
 * next): a verified backup that still describes the register, reused or made now. The backup area's wiring
 * (src/daemon/areas/backup.ts) implements it over the backup service's store and gate and passes it in, so the
 * operation never imports the backup service (LAYERING.md: services share only src/services/common).
 */
export interface BackupGate {
  /** Throws BACKUP_GATE_FAILED when no verified backup can be had: the operation stops before it changes anything. */
  pass(options: BackupGateOptions): Promise<BackupGatePass>;
}

export interface BackupGateOptions {
  /** What the backup protects, for the error and the log: `upgrade`, `deregistration`, `repair`. */
  readonly operation: string;
  readonly maxAgeMs?: number;
  readonly now?: () => Date;
}

export interface BackupGatePass {
  readonly backupId: string;
  /** True when an existing backup younger than the max age was re-verified and reused. */
  readonly reused: boolean;
  readonly createdAt: string;
  readonly verifiedAt: string;
  /** Completeness problems named in the backup's manifest: recorded, not a reason to stop. */
  readonly problems: number;
}

/** Which register a job's gate backs up, and what it borrows and reports through. */
export interface BackupGateTarget {
  readonly deviceId: string;
  /** What the backups are listed under (the machine number once identified). */
  readonly backupKey: string;
  /** This gateway's service records of the register since which a backup is stale (backupStillCurrent). */
  readonly history: readonly { readonly at: string; readonly action: string }[];
}

/** The gate for one job: borrows the register with the job's signal, reports a backup it makes as the job's progress. */
export type BackupGateFor = (
  target: BackupGateTarget,
  job: { readonly signal: AbortSignal; progress(fraction: number, detail?: string): void },
) => BackupGate;
