import { z } from 'zod';
import type { PastRecord } from '../common/PastRecord.js';
import { ROLL_JOB_KIND } from './distributeRoll.js';

const rollSchema = z.object({ invoiceCode: z.string(), start: z.number().int(), end: z.number().int() });

/**
 * What a roll run that got past its plan left behind, kept in its service record (`after.distribution`):
 * `settled` when nothing was left in doubt, `in-doubt` when a 31 lost its answer and the register did
 * not store a roll, with the user card's last roll (EF07) as it was before that 31.
 */
export const distributionMarkSchema = z.discriminatedUnion('distribution', [
  z.object({ distribution: z.literal('settled') }),
  z.object({ distribution: z.literal('in-doubt'), userCardLastRoll: rollSchema.nullable() }),
]);
export type DistributionMark = z.infer<typeof distributionMarkSchema>;

/** The mark of the latest roll run on this register that left one (runs refused before their plan leave none). */
export function lastDistribution(records: readonly PastRecord[]): DistributionMark | undefined {
  const rolls = records.filter((r) => r.action === ROLL_JOB_KIND).sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
  for (const record of rolls) {
    const mark = distributionMarkSchema.safeParse(record.after);
    if (mark.success) return mark.data;
  }
  return undefined;
}
