import { chmodSync, existsSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { silentLogger } from '../log.js';
import { loadSqlite } from './loadSqlite.js';
import { migrate } from './migrations.js';
import { JobStore } from './JobStore.js';
import { ServiceRecordStore } from './ServiceRecordStore.js';
import { IdempotencyStore } from './IdempotencyStore.js';
import { recordCutoff, type RetentionPolicy } from './retention.js';

export interface SweepResult {
  readonly records: number;
  readonly jobEvents: number;
  readonly idempotencyKeys: number;
}

/** The daemon's SQLite database: jobs, their events, service records and idempotency keys. */
export class Store {
  readonly jobs: JobStore;
  readonly records: ServiceRecordStore;
  readonly idempotency: IdempotencyStore;

  constructor(readonly db: Database, private readonly logger: Logger = silentLogger) {
    this.jobs = new JobStore(db);
    this.records = new ServiceRecordStore(db);
    this.idempotency = new IdempotencyStore(db);
  }

  /** Runs `fn` in one SQLite transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  /** Deletes what the policy lets go: never a service record younger than the legal minimum. */
  sweep(policy: RetentionPolicy, now = new Date()): SweepResult {
    const recordsBefore = recordCutoff(now, policy.recordYears).toISOString();
    const eventsBefore = new Date(now.getTime() - policy.jobEventDays * 86_400_000).toISOString();
    const keysBefore = new Date(now.getTime() - policy.idempotencyHours * 3_600_000).toISOString();
    const result = this.transaction(() => ({
      records: this.records.deleteOlderThan(recordsBefore),
      jobEvents: this.db.prepare(`DELETE FROM job_events WHERE job_id IN
        (SELECT id FROM jobs WHERE state != 'running' AND finished_at < ?)`).run(eventsBefore).changes,
      idempotencyKeys: this.idempotency.deleteOlderThan(keysBefore),
    }));
    this.logger.info({ ...result, recordsBefore }, 'retention sweep');
    return result;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating if needed) the database at `path` (`:memory:` for tests), in WAL mode, migrated. */
export function openStore(path: string, logger: Logger = silentLogger): Store {
  const Database = loadSqlite();
  const isNew = path !== ':memory:' && !existsSync(path);
  const db = new Database(path);
  if (isNew) chmodSync(path, 0o600);
  db.pragma('journal_mode = WAL');
  // FULL: a job row must be on disk before the hardware is touched, even across a power cut.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return new Store(db, logger);
}
