import { z } from 'zod';
import { command, emptyPayload, layout } from '../../../protocols/gb-link/payloads/codec.js';
import { amountFen, linkDate, taxIndex } from '../../../protocols/gb-link/payloads/schemas.js';

/** GB link 40, control-data write-back (监控数据回写): a public command code without a public layout. */
export const CONTROL_WRITE_BACK = 0x40;

export const controlLimitsSchema = z.object({
  issueDeadline: linkDate,
  singleInvoiceLimit: amountFen,
  cumulativeLimit: amountFen,
  returnLimit: amountFen,
  taxIndex,
});
/** The monitoring data in force after the write-back: fiscal card EF01 without its detail mode. */
export type ControlLimits = z.infer<typeof controlLimitsSchema>;

/**
 * 40 control-data write-back, the layout this project proposes for protocols/gb-link (SPEC.md §5.11):
 * request empty → 22 bytes: issue deadline 4, single-invoice limit 4, cumulative limit 4, return
 * limit 4, tax index 6. The register, with the declared flag set and the user card in its slot,
 * refuses with ER 4F while user EF04 still holds this fiscal card's declaration and ER 5A when user
 * EF01 has no record for it; otherwise it runs VERIFY_FISCAL_PIN with the PIN it holds (storing the
 * next one), UPDATE_CONTROLS with that EF01 record, re-reads fiscal EF01, keeps the new limits,
 * clears the declared flag and answers the limits now in force. Only the register holds the PIN,
 * so only the register can do this; the host checks before and reads back after.
 */
export const controlWriteBack = command(CONTROL_WRITE_BACK, 'control write-back', 'write', emptyPayload(CONTROL_WRITE_BACK), layout<ControlLimits>(
  CONTROL_WRITE_BACK, controlLimitsSchema,
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
