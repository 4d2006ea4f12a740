/** Service records are kept at least five years (DESIGN.md); configuration can only lengthen that. */
export const MINIMUM_RECORD_YEARS = 5;

export interface RetentionPolicy {
  /** Years a service record is kept; at least MINIMUM_RECORD_YEARS. */
  readonly recordYears: number;
  /** Days the event log of a finished job is kept (the job row and its record stay). */
  readonly jobEventDays: number;
  /** Hours an Idempotency-Key is remembered. */
  readonly idempotencyHours: number;
}

export const defaultRetention: RetentionPolicy = { recordYears: MINIMUM_RECORD_YEARS, jobEventDays: 90, idempotencyHours: 24 };

/** The instant before which records may go: `now` minus the years, and never later than now minus five years. */
export function recordCutoff(now: Date, recordYears: number): Date {
  const years = Math.max(recordYears, MINIMUM_RECORD_YEARS);
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}
