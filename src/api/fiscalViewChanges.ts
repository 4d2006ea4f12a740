import type { Database } from 'better-sqlite3';

/** Counts the writes to what a device's fiscal view reads (FiscalViewCache), on one database connection. */
export interface StoreChangeCounter {
  /** Bumped by every insert, delete or relevant update of service_records or jobs made through this connection. */
  readonly count: number;
  /** PRAGMA data_version: changes when another connection has committed (never for this connection's own writes). */
  foreignVersion(): number;
}

const FUNCTION = 'fiscal_view_changed';

/**
 * What `fiscalViewOf` reads: the device's service records (any column; records are inserted and swept) and its
 * succeeded jobs by kind, device, state, result and creation time. A job's progress, checkpoint, waiting reason
 * and record draft are written many times a second during an upgrade and change nothing the view shows, so an
 * update of only those columns does not count. TEMP triggers live on this connection only and fire for every
 * statement it runs, whichever code path runs it (the store's methods, a sweep, a migration, raw SQL).
 */
const TRIGGERS = [
  ['records_insert', 'AFTER INSERT ON service_records'],
  ['records_update', 'AFTER UPDATE ON service_records'],
  ['records_delete', 'AFTER DELETE ON service_records'],
  ['jobs_insert', 'AFTER INSERT ON jobs'],
  ['jobs_update', 'AFTER UPDATE OF state, result_json, kind, device_id, created_at ON jobs'],
  ['jobs_delete', 'AFTER DELETE ON jobs'],
] as const;

const counters = new WeakMap<Database, StoreChangeCounter>();

/** The connection's counter: its SQL function and triggers installed on first use, shared by every cache on it. */
export function fiscalViewChanges(db: Database): StoreChangeCounter {
  const existing = counters.get(db);
  if (existing !== undefined) return existing;
  let count = 0;
  db.function(FUNCTION, { deterministic: false, varargs: false }, () => {
    count += 1;
    return null;
  });
  for (const [name, when] of TRIGGERS) {
    db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS fiscal_view_${name} ${when} BEGIN SELECT ${FUNCTION}(); END`);
  }
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const counter: StoreChangeCounter = {
    get count() { return count; },
    foreignVersion: () => dataVersion.get()!,
  };
  counters.set(db, counter);
  return counter;
}
