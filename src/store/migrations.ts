import type { Database } from 'better-sqlite3';

/**
 * The schema, one step per entry, applied in order and counted in `PRAGMA user_version`.
 * A released step is never edited: a change is a new step.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    device_id TEXT NOT NULL,
    operator TEXT NOT NULL,
    params_json TEXT NOT NULL,
    stages_json TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled')),
    stage TEXT,
    fraction REAL NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    result_json TEXT,
    error_json TEXT,
    record_json TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX jobs_by_device ON jobs (device_id, created_at);
  CREATE INDEX jobs_by_state ON jobs (state);

  CREATE TABLE job_events (
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    data_json TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE service_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    device_id TEXT NOT NULL,
    machine_number TEXT,
    action TEXT NOT NULL,
    params_json TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    result TEXT NOT NULL CHECK (result IN ('succeeded', 'failed', 'cancelled', 'interrupted')),
    error_code TEXT,
    job_id TEXT
  );
  CREATE INDEX records_by_time ON service_records (at);
  CREATE INDEX records_by_device ON service_records (device_id, at);
  CREATE UNIQUE INDEX records_by_job ON service_records (job_id) WHERE job_id IS NOT NULL;

  CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key)
  ) WITHOUT ROWID;
  `,
  // The device engine (src/jobs/ENGINE.md): a job's last checkpoint, and why it waits (a row still 'running').
  `
  ALTER TABLE jobs ADD COLUMN checkpoint_json TEXT;
  ALTER TABLE jobs ADD COLUMN waiting_json TEXT;
  `,
];

export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let step = current; step < migrations.length; step += 1) {
    db.transaction(() => {
      db.exec(migrations[step]!);
      db.pragma(`user_version = ${step + 1}`);
    })();
  }
}
