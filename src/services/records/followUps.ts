import type { ServiceRecord } from '../../store/types.js';
import { nextWorkingDay, serviceDay } from '../common/serviceCalendar.js';

/** The operations the procedures follow up within one working day (维修/升级后1个工作日内回访), and the ones this gateway adds. */
export const FOLLOWED_UP_ACTIONS: readonly string[] = ['repair', 'upgrade', 'initialize', 'deregister'];
export const FOLLOW_UP_ACTION = 'follow-up';

export type FollowUpState = 'open' | 'due' | 'overdue' | 'done' | 'done-late';

export interface FollowUp {
  readonly recordId: number;
  readonly action: string;
  readonly deviceId: string;
  readonly machineNumber: string | null;
  readonly at: string;
  /** One working day after the operation (service day), weekends skipped. */
  readonly due: string;
  readonly state: FollowUpState;
  readonly done: { readonly recordId: number; readonly at: string; readonly operator: string; readonly outcome: string } | null;
}

/** The follow-up due date a record carries, or null for an operation that is not followed up. */
export function followUpDue(record: Pick<ServiceRecord, 'action' | 'result' | 'at'>): string | null {
  return FOLLOWED_UP_ACTIONS.includes(record.action) && record.result === 'succeeded' ? nextWorkingDay(serviceDay(record.at)) : null;
}

/** Every follow-up the records call for, with whether and when it was done. */
export function followUps(records: readonly ServiceRecord[], now: Date): FollowUp[] {
  const today = serviceDay(now);
  const doneFor = new Map<number, ServiceRecord>();
  for (const record of records) {
    const target = record.action === FOLLOW_UP_ACTION ? Number(record.params.recordId) : NaN;
    if (Number.isInteger(target) && !doneFor.has(target)) doneFor.set(target, record);
  }
  const list: FollowUp[] = [];
  for (const record of records) {
    const due = followUpDue(record);
    if (due === null) continue;
    const done = doneFor.get(record.id);
    const state: FollowUpState = done !== undefined ? (serviceDay(done.at) <= due ? 'done' : 'done-late')
      : today > due ? 'overdue' : today === due ? 'due' : 'open';
    list.push({
      recordId: record.id, action: record.action, deviceId: record.deviceId, machineNumber: record.machineNumber, at: record.at, due, state,
      done: done === undefined ? null : { recordId: done.id, at: done.at, operator: done.operator, outcome: String(done.params.outcome ?? '') },
    });
  }
  return list;
}
