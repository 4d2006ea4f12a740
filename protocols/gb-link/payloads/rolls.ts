import { z } from 'zod';
import { CMD } from '../commandCodes.js';
import { command, emptyPayload, layout } from './codec.js';
import { digits, u32 } from './schemas.js';

export const invoiceRollSchema = z.object({ invoiceCode: digits(20), start: u32, end: u32 }).refine((v) => v.start <= v.end, 'start ≤ end');
/** One roll (卷) of invoice numbers: code 10 BCD, start u32, end u32 (inclusive), as DISTRIBUTE_INVOICE_NB gives it without its MAC. */
export type InvoiceRoll = z.infer<typeof invoiceRollSchema>;

function rollCodec(code: number) {
  return layout<InvoiceRoll>(
    code, invoiceRollSchema,
    (w, v) => w.bcd(v.invoiceCode, 10, 'invoice code').u32(v.start, 'start').u32(v.end, 'end'),
    (r) => ({ invoiceCode: r.bcd(10, 'invoice code'), start: r.u32('start'), end: r.u32('end') }),
  );
}

/** 31 distribute invoice numbers: the register takes one roll from the user card in its slot and stores it. */
export const distributeInvoiceNumbers = command(
  CMD.DISTRIBUTE_INVOICE_NUMBERS, 'distribute invoice numbers', 'write', emptyPayload(CMD.DISTRIBUTE_INVOICE_NUMBERS), rollCodec(CMD.DISTRIBUTE_INVOICE_NUMBERS),
);

/** 50 input invoice numbers: mount a distributed roll onto the fiscal card (INPUT_INVOICE_NB). */
export const inputInvoiceNumbers = command(
  CMD.INPUT_INVOICE_NUMBERS, 'input invoice numbers', 'write', rollCodec(CMD.INPUT_INVOICE_NUMBERS), emptyPayload(CMD.INPUT_INVOICE_NUMBERS),
);
