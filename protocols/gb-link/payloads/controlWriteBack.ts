import { z } from 'zod';
import { CMD } from '../commandCodes.js';
import { command, emptyPayload, layout } from './codec.js';
import { amountFen, linkDate, taxIndex } from './schemas.js';

export const controlLimitsSchema = z.object({
  issueDeadline: linkDate,
  singleInvoiceLimit: amountFen,
  cumulativeLimit: amountFen,
  returnLimit: amountFen,
  taxIndex,
});
/** The monitoring data in force after a control write-back: fiscal card EF01 without its detail mode. */
export type ControlLimits = z.infer<typeof controlLimitsSchema>;

/** 22 bytes: issue deadline 4, single-invoice limit 4, cumulative limit 4, return limit 4, tax index 6. */
export const CONTROL_LIMITS_SIZE = 22;

/**
 * 40 control-data write-back (监控数据回写), SPEC.md §5.14: request empty → the limits now in force.
 * The register runs the control update of GB18240.md "Flows" itself, because only it holds the fiscal
 * PIN: declared flag set, no declaration of its fiscal card still pending on the user card (ER 4F),
 * the user card's EF01 record for its fiscal card (ER 5A without one), VERIFY_FISCAL_PIN (the next PIN
 * stored), UPDATE_CONTROLS with that record, fiscal EF01 re-read, declared flag cleared.
 */
export const controlWriteBack = command(CMD.CONTROL_WRITE_BACK, 'control write-back', 'write', emptyPayload(CMD.CONTROL_WRITE_BACK), layout<ControlLimits>(
  CMD.CONTROL_WRITE_BACK, controlLimitsSchema,
  (w, v) => {
    w.date(v.issueDeadline, 'issue deadline').u32(v.singleInvoiceLimit, 'single-invoice limit').u32(v.cumulativeLimit, 'cumulative limit')
      .u32(v.returnLimit, 'return limit');
    for (const index of v.taxIndex) w.u8(index, 'tax index');
  },
  (r) => ({
    issueDeadline: r.requiredDate('issue deadline'),
    singleInvoiceLimit: r.u32('single-invoice limit'),
    cumulativeLimit: r.u32('cumulative limit'),
    returnLimit: r.u32('return limit'),
    taxIndex: Array.from({ length: 6 }, () => r.u8('tax index')),
  }),
));
