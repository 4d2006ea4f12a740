import { addMonths, serviceDay } from '../common/serviceCalendar.js';
import type { CheckResult } from './Check.js';

/** The procedures promise the same fault does not recur within six months of a repair (6个月以内不再重复出现). */
export const REPEAT_WINDOW_MONTHS = 6;

/** A repair this gateway recorded: the checks it put right (their ids) and what was done. */
export interface RepairFact {
  readonly recordId: number;
  readonly at: string;
  readonly checks: readonly string[];
  readonly work: string;
  readonly diagnosisId: string | null;
}

export interface RepeatFault {
  readonly check: string;
  readonly repair: RepairFact;
  readonly zh: string;
  readonly en: string;
}

/**
 * Faults found now that a repair of this register put right within the last six months, counted on service
 * days and inclusive: a repair on 06-05 still covers a diagnosis on 12-05, not on 12-06.
 */
export function repeatFaults(checks: readonly CheckResult[], repairs: readonly RepairFact[], now: Date): RepeatFault[] {
  const today = serviceDay(now);
  const repeats: RepeatFault[] = [];
  for (const check of checks.filter((c) => c.status === 'fault')) {
    const earlier = repairs
      .filter((r) => r.checks.includes(check.id) && serviceDay(r.at) <= today && today <= addMonths(serviceDay(r.at), REPEAT_WINDOW_MONTHS))
      .sort((a, b) => (a.at < b.at ? 1 : -1))[0];
    if (earlier === undefined) continue;
    const day = serviceDay(earlier.at);
    repeats.push({
      check: check.id, repair: earlier,
      zh: `重复故障：该故障已于 ${day} 维修（维修记录 ${earlier.recordId}：${earlier.work}），六个月内再次出现`,
      en: `Repeat fault: repaired on ${day} (service record ${earlier.recordId}: ${earlier.work}) and back within six months`,
    });
  }
  return repeats;
}
