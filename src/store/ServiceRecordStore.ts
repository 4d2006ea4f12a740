import type { Database, Statement } from 'better-sqlite3';
import { fromJson, toJson } from './json.js';
import type { NewServiceRecord, RecordResult, ServiceRecord } from './types.js';

interface RecordColumns {
  id: number; at: string; operator: string; device_id: string; machine_number: string | null; action: string;
  params_json: string; before_json: string | null; after_json: string | null; result: RecordResult;
  error_code: string | null; job_id: string | null;
}

function toRecord(c: RecordColumns): ServiceRecord {
  return {
    id: c.id, at: c.at, operator: c.operator, deviceId: c.device_id, machineNumber: c.machine_number, action: c.action,
    params: JSON.parse(c.params_json) as Record<string, unknown>, before: fromJson(c.before_json), after: fromJson(c.after_json),
    result: c.result, errorCode: c.error_code, jobId: c.job_id,
  };
}

export interface RecordFilter {
  /** A device id or a machine number. */
  readonly device?: string;
  /** Inclusive lower bound, ISO-8601. */
  readonly since?: string;
  /** Exclusive upper bound, ISO-8601. */
  readonly until?: string;
  readonly limit?: number;
}

/** Service records (维修记录): append-only; only the retention sweep deletes, and never before the legal minimum. */
export class ServiceRecordStore {
  private readonly insertStmt: Statement;

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO service_records
      (at, operator, device_id, machine_number, action, params_json, before_json, after_json, result, error_code, job_id)
      VALUES (@at, @operator, @deviceId, @machineNumber, @action, @params, @before, @after, @result, @errorCode, @jobId)`);
  }

  insert(record: NewServiceRecord): number {
    return Number(this.insertStmt.run({
      ...record, params: JSON.stringify(record.params), before: toJson(record.before), after: toJson(record.after),
    }).lastInsertRowid);
  }

  list(filter: RecordFilter = {}): ServiceRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.device !== undefined) { where.push('(device_id = ? OR machine_number = ?)'); args.push(filter.device, filter.device); }
    if (filter.since !== undefined) { where.push('at >= ?'); args.push(filter.since); }
    if (filter.until !== undefined) { where.push('at < ?'); args.push(filter.until); }
    const sql = `SELECT * FROM service_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at, id LIMIT ?`;
    args.push(filter.limit ?? 100_000);
    return (this.db.prepare(sql).all(...args) as RecordColumns[]).map(toRecord);
  }

  byJob(jobId: string): ServiceRecord | undefined {
    const columns = this.db.prepare('SELECT * FROM service_records WHERE job_id = ?').get(jobId) as RecordColumns | undefined;
    return columns ? toRecord(columns) : undefined;
  }

  /** Deletes records strictly older than `before`; the caller guarantees `before` respects the legal minimum. */
  deleteOlderThan(before: string): number {
    return this.db.prepare('DELETE FROM service_records WHERE at < ?').run(before).changes;
  }
}
