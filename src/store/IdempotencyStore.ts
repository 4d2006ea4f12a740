import type { Database, Statement } from 'better-sqlite3';

export interface IdempotencyEntry {
  readonly bodyHash: string;
  readonly jobId: string;
}

/** `Idempotency-Key` → the job it created, per route and device (the scope). */
export class IdempotencyStore {
  private readonly findStmt: Statement<[string, string], { body_hash: string; job_id: string }>;
  private readonly insertStmt: Statement;

  constructor(private readonly db: Database) {
    this.findStmt = db.prepare('SELECT body_hash, job_id FROM idempotency_keys WHERE scope = ? AND key = ?');
    this.insertStmt = db.prepare('INSERT INTO idempotency_keys (scope, key, body_hash, job_id, created_at) VALUES (?, ?, ?, ?, ?)');
  }

  find(scope: string, key: string): IdempotencyEntry | undefined {
    const row = this.findStmt.get(scope, key);
    return row ? { bodyHash: row.body_hash, jobId: row.job_id } : undefined;
  }

  insert(scope: string, key: string, bodyHash: string, jobId: string, at: string): void {
    this.insertStmt.run(scope, key, bodyHash, jobId, at);
  }

  deleteOlderThan(before: string): number {
    return this.db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').run(before).changes;
  }
}
