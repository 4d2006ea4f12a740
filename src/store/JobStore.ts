import type { Database, Statement } from 'better-sqlite3';
import { fromJson, toJson } from './json.js';
import type { JobEvent, JobEventType, JobRow, JobState, RecordDraft, StageSpec, StoredError, WaitingReason } from './types.js';

interface JobColumns {
  id: string; kind: string; device_id: string; operator: string; params_json: string; stages_json: string;
  state: Exclude<JobState, 'waiting'>; stage: string | null; fraction: number; created_at: string; finished_at: string | null;
  result_json: string | null; error_json: string | null; record_json: string;
  checkpoint_json: string | null; waiting_json: string | null;
}

interface EventColumns { job_id: string; seq: number; type: JobEventType; data_json: string; at: string }

function toRow(c: JobColumns): JobRow {
  return {
    id: c.id, kind: c.kind, deviceId: c.device_id, operator: c.operator,
    params: JSON.parse(c.params_json) as Record<string, unknown>,
    stages: JSON.parse(c.stages_json) as StageSpec[],
    // A waiting job is a running row with a reason: it has not ended, and finish() ends it the same way.
    state: c.state === 'running' && c.waiting_json !== null ? 'waiting' : c.state, stage: c.stage, fraction: c.fraction, createdAt: c.created_at, finishedAt: c.finished_at,
    result: fromJson(c.result_json), error: fromJson<StoredError>(c.error_json),
    record: JSON.parse(c.record_json) as RecordDraft,
    checkpoint: fromJson(c.checkpoint_json) ?? null,
    waiting: fromJson<WaitingReason>(c.waiting_json),
  };
}

function toEvent(c: EventColumns): JobEvent {
  return { jobId: c.job_id, seq: c.seq, type: c.type, data: JSON.parse(c.data_json) as Record<string, unknown>, at: c.at };
}

export interface JobListFilter {
  readonly deviceId?: string;
  readonly state?: JobState;
  readonly limit?: number;
}

/** What a job row starts with; the rest (state, progress, end) is written as it runs. */
export type NewJob = Pick<JobRow, 'id' | 'kind' | 'deviceId' | 'operator' | 'params' | 'stages' | 'createdAt'>;

export interface JobEnding {
  readonly state: Exclude<JobState, 'running' | 'waiting'>;
  readonly finishedAt: string;
  readonly fraction: number;
  readonly result?: unknown;
  readonly error?: StoredError;
}

/** Jobs and their event logs. Every write is one statement or one transaction: a crash leaves no half row. */
export class JobStore {
  private readonly insertJob: Statement;
  private readonly selectJob: Statement<[string], JobColumns>;
  private readonly updateProgressStmt: Statement;
  private readonly updateRecordStmt: Statement;
  private readonly finishStmt: Statement;
  private readonly insertEventStmt: Statement;
  private readonly eventsAfterStmt: Statement<[string, number], EventColumns>;
  private readonly runningStmt: Statement<[], JobColumns>;
  private readonly checkpointStmt: Statement;
  private readonly checkpointedStmt: Statement<[string], JobColumns>;
  private readonly waitingStmt: Statement;

  constructor(private readonly db: Database) {
    this.insertJob = db.prepare(`INSERT INTO jobs (id, kind, device_id, operator, params_json, stages_json, state, created_at)
      VALUES (@id, @kind, @deviceId, @operator, @params, @stages, 'running', @createdAt)`);
    this.selectJob = db.prepare('SELECT * FROM jobs WHERE id = ?');
    this.updateProgressStmt = db.prepare('UPDATE jobs SET stage = ?, fraction = ? WHERE id = ?');
    this.updateRecordStmt = db.prepare('UPDATE jobs SET record_json = ? WHERE id = ?');
    this.finishStmt = db.prepare(`UPDATE jobs SET state = @state, finished_at = @finishedAt, fraction = @fraction,
      result_json = @result, error_json = @error, waiting_json = NULL WHERE id = @id AND state = 'running'`);
    this.insertEventStmt = db.prepare('INSERT INTO job_events (job_id, seq, type, data_json, at) VALUES (?, ?, ?, ?, ?)');
    this.eventsAfterStmt = db.prepare('SELECT * FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq');
    this.runningStmt = db.prepare("SELECT * FROM jobs WHERE state = 'running' ORDER BY created_at");
    this.checkpointStmt = db.prepare("UPDATE jobs SET checkpoint_json = ? WHERE id = ? AND state = 'running'");
    this.checkpointedStmt = db.prepare('SELECT * FROM jobs WHERE kind = ? AND checkpoint_json IS NOT NULL ORDER BY created_at DESC, rowid DESC');
    this.waitingStmt = db.prepare("UPDATE jobs SET waiting_json = ? WHERE id = ? AND state = 'running'");
  }

  create(job: NewJob): void {
    this.insertJob.run({
      id: job.id, kind: job.kind, deviceId: job.deviceId, operator: job.operator,
      params: JSON.stringify(job.params), stages: JSON.stringify(job.stages), createdAt: job.createdAt,
    });
  }

  get(id: string): JobRow | undefined {
    const columns = this.selectJob.get(id);
    return columns ? toRow(columns) : undefined;
  }

  list(filter: JobListFilter = {}): JobRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.deviceId !== undefined) { where.push('device_id = ?'); args.push(filter.deviceId); }
    if (filter.state === 'waiting') where.push("state = 'running' AND waiting_json IS NOT NULL");
    else if (filter.state === 'running') where.push("state = 'running' AND waiting_json IS NULL");
    else if (filter.state !== undefined) { where.push('state = ?'); args.push(filter.state); }
    const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    args.push(filter.limit ?? 100);
    return (this.db.prepare(sql).all(...args) as JobColumns[]).map(toRow);
  }

  /** Every job that has not ended: running or waiting. */
  running(): JobRow[] {
    return this.runningStmt.all().map(toRow);
  }

  /** Replaces the job's checkpoint; written when this returns (one statement, synchronous). */
  setCheckpoint(id: string, checkpoint: unknown): void {
    this.checkpointStmt.run(toJson(checkpoint), id);
  }

  /** The jobs of a kind that left a checkpoint, newest first (a run's memory for the next one: src/jobs/ENGINE.md). */
  checkpointed(kind: string): JobRow[] {
    return this.checkpointedStmt.all(kind).map(toRow);
  }

  /** Sets (or, with null, clears) why the job waits. */
  setWaiting(id: string, reason: WaitingReason | null): void {
    this.waitingStmt.run(toJson(reason ?? undefined), id);
  }

  setProgress(id: string, stage: string | null, fraction: number): void {
    this.updateProgressStmt.run(stage, fraction, id);
  }

  setRecordDraft(id: string, draft: RecordDraft): void {
    this.updateRecordStmt.run(JSON.stringify(draft), id);
  }

  /** Ends a running job; false when it had already ended. */
  finish(id: string, ending: JobEnding): boolean {
    const changed = this.finishStmt.run({
      id, state: ending.state, finishedAt: ending.finishedAt, fraction: ending.fraction,
      result: toJson(ending.result), error: toJson(ending.error),
    }).changes;
    return changed === 1;
  }

  appendEvent(event: JobEvent): void {
    this.insertEventStmt.run(event.jobId, event.seq, event.type, JSON.stringify(event.data), event.at);
  }

  eventsAfter(jobId: string, seq: number): JobEvent[] {
    return this.eventsAfterStmt.all(jobId, seq).map(toEvent);
  }

  lastEventSeq(jobId: string): number {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM job_events WHERE job_id = ?').get(jobId) as { seq: number | null };
    return row.seq ?? 0;
  }
}
