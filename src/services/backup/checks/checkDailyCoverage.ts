import type { BackupProblem } from '../BackupManifest.js';

export interface DailyDate {
  readonly seq: number;
  /** `YYYY-MM-DD`. */
  readonly date: string;
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date ? undefined : ms / DAY_MS;
}

const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * Daily records (idle days included, as zero records) cover every day from the initialization date
 * through `through` (the last day the register has signed), each exactly once, in order.
 * Missing days are reported as ranges, one problem per range.
 */
export function checkDailyCoverage(records: readonly DailyDate[], from: string, through: string): BackupProblem[] {
  const problems: BackupProblem[] = [];
  const start = dayNumber(from);
  const end = dayNumber(through);
  if (start === undefined || end === undefined) {
    return [{ check: 'daily-coverage', kind: 'daily', message: `cannot check daily coverage: bad period ${from}..${through}`, data: { from, through } }];
  }
  const seen = new Map<number, number>();
  let previous = -Infinity;
  for (const record of records) {
    const day = dayNumber(record.date);
    if (day === undefined) {
      problems.push({ check: 'daily-coverage', kind: 'daily', seq: record.seq, message: `daily record has an invalid date ${record.date}`, data: { date: record.date } });
      continue;
    }
    if (seen.has(day)) {
      problems.push({ check: 'daily-duplicate', kind: 'daily', seq: record.seq, message: `a second daily record for ${record.date} (first at record ${seen.get(day)})`, data: { date: record.date, firstSeq: seen.get(day) } });
      continue;
    }
    if (day < previous) problems.push({ check: 'order', kind: 'daily', seq: record.seq, message: `daily record ${record.date} comes after ${dateOf(previous)}`, data: { date: record.date } });
    previous = Math.max(previous, day);
    seen.set(day, record.seq);
    if (day < start || day > end) {
      problems.push({ check: 'daily-coverage', kind: 'daily', seq: record.seq, message: `daily record ${record.date} lies outside ${from}..${through}`, data: { date: record.date, from, through } });
    }
  }
  let gapStart: number | undefined;
  for (let day = start; day <= end + 1; day++) {
    const missing = day <= end && !seen.has(day);
    if (missing && gapStart === undefined) gapStart = day;
    if (!missing && gapStart !== undefined) {
      const last = day - 1;
      problems.push({
        check: 'daily-coverage', kind: 'daily',
        message: gapStart === last ? `no daily record for ${dateOf(gapStart)}` : `no daily records from ${dateOf(gapStart)} to ${dateOf(last)} (${last - gapStart + 1} days)`,
        data: { from: dateOf(gapStart), to: dateOf(last), days: last - gapStart + 1 },
      });
      gapStart = undefined;
    }
  }
  return problems;
}
