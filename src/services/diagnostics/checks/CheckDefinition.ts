import { localDateTime } from '../../../../protocols/gb-link/registerTimeZone.js';
import type { Bilingual, Outcome } from '../Check.js';
import type { Observations } from '../Observations.js';
import type { Reading } from '../Reading.js';

/** One entry of the check registry: a stable id, what it measures, and how it judges what was read. */
export interface CheckDefinition {
  readonly id: string;
  readonly measures: Bilingual;
  evaluate(observations: Observations): Outcome;
}

/** Runs `judge` on a reading that succeeded; otherwise the check is not-run, saying which read was missing and why. */
export function needs<T>(reading: Reading<T>, what: Bilingual, judge: (value: T) => Outcome): Outcome {
  if (reading.state === 'ok') return judge(reading.value);
  if (reading.state === 'skipped') return { status: 'not-run', reason: reading.reason };
  return {
    status: 'not-run', facts: { code: reading.code },
    reason: { zh: `${what.zh}读取失败：${reading.message.zh}`, en: `Reading the ${what.en} failed: ${reading.message.en}` },
  };
}

export const notRun = (zh: string, en: string): Outcome => ({ status: 'not-run', reason: { zh, en } });

/** The register's calendar day (its time zone setting) at the host's instant, YYYY-MM-DD. */
export function registerToday(observations: Observations): string {
  return localDateTime(observations.host.getTime(), observations.utcOffsetMinutes).slice(0, 10);
}

/** Whole days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export const STATUS_41: Bilingual = { zh: '状态（41）', en: 'status (41)' };
