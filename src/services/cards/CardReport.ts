import { z } from 'zod';
import { pinTriesUnknownReasons } from '../../../protocols/gb18240-card/pinTries.js';
import { moneySchema, rateSchema } from '../common/money.js';

/**
 * A card decoded for people: what `GET /v1/readers/{reader}/card` answers and `fiscalctl card` prints.
 * Numbers stay digit strings, dates `YYYY-MM-DD`, names UTF-8, amounts in fen and yuan, rates in %.
 * Secrets (PIN, MACs, keys) never appear.
 */

const date = z.string();
const nullableDate = date.nullable();

export const cardKindSchema = z.enum(['fiscal', 'user', 'inspection', 'upgrade', 'unknown']);
export type ReportedCardKind = z.infer<typeof cardKindSchema>;

export const taxpayerSchema = z.object({ number: z.string(), id: z.string(), name: z.string() });

export const limitsSchema = z.object({
  issueDeadline: date,
  singleInvoice: moneySchema,
  cumulative: moneySchema,
  returns: moneySchema,
  /** The six tax indexes the card orders amounts by (0 = slot unused). */
  taxIndex: z.array(z.number().int()),
});

/** PinTries (protocols/gb18240-card/pinTries.ts) as reported. */
export const pinTriesSchema = z.discriminatedUnion('known', [
  z.object({ known: z.literal(true), left: z.number().int().min(0), source: z.enum(['query', 'verification']) }),
  z.object({ known: z.literal(false), reason: z.enum(pinTriesUnknownReasons), sw: z.string().optional() }),
]);

export const fiscalRollStates = ['waiting', 'in-use', 'used-up', 'unknown'] as const;

export const fiscalCardReportSchema = z.object({
  cardNumber: z.string(),
  machineNumber: z.string(),
  taxpayer: taxpayerSchema,
  officeCode: z.number().int(),
  applicationStart: date,
  validUntil: date,
  /** Decided on the card's signs, never on the EF02 flag byte alone (gb18240-card SPEC.md §3.2). */
  registration: z.enum(['registered', 'not-registered', 'uncertain']),
  /** What the decision rests on: the raw flag (hex), the reading it follows (null while uncertain), the signs seen. */
  registrationDetail: z.object({
    flag: z.string(),
    flagReading: z.enum(['registered-is-01', 'registered-is-00']).nullable(),
    signs: z.array(z.enum(['holds-pin', 'holds-no-pin', 'rolls-mounted', 'declarations-made', 'invoices-or-signatures'])),
    uncertainBecause: z.enum(['no-sign', 'signs-disagree', 'flag-fits-no-reading']).optional(),
  }),
  /** 01 = declaration by user card. */
  declarationMode: z.number().int(),
  monitoring: limitsSchema.extend({ detailMode: z.number().int() }),
  accumulated: z.object({
    validCount: z.number().int(), returnCount: z.number().int(), voidCount: z.number().int(),
    validTotal: moneySchema, returnTotal: moneySchema,
    lastIssueDate: nullableDate, lastSignedDate: nullableDate, lastDeclaredEnd: nullableDate,
  }),
  rolls: z.array(z.object({ state: z.enum(fiscalRollStates), invoiceCode: z.string(), start: z.number().int(), end: z.number().int() })),
  declarations: z.array(z.object({ periodStart: date, periodEnd: date, validTotal: moneySchema, returnTotal: moneySchema, status: z.number().int() })),
  /** What the card tells without spending a try (ISO VERIFY without data); unknown, with the reason, when it does not tell. */
  pinTries: pinTriesSchema,
});
export type FiscalCardReport = z.infer<typeof fiscalCardReportSchema>;

export const userCardReportSchema = z.object({
  cardNumber: z.string(),
  taxpayer: taxpayerSchema,
  officeCode: z.number().int(),
  applicationStart: date,
  validUntil: date,
  taxItems: z.array(z.object({ index: z.number().int(), itemCode: z.string(), rate: rateSchema, nameZh: z.string(), nameEn: z.string() })),
  /** Monitoring data per fiscal card (EF01): issue deadline and limits. */
  controls: z.array(limitsSchema.extend({ fiscalCardNumber: z.string(), keyId: z.number().int() })),
  machines: z.array(z.object({ machineNumber: z.string(), fiscalCardNumber: z.string() })),
  purchasedRolls: z.array(z.object({ invoiceCode: z.string(), start: z.number().int(), end: z.number().int(), rollCount: z.number().int() })),
  lastDistributedRoll: z.object({ invoiceCode: z.string(), start: z.number().int(), end: z.number().int() }).nullable(),
  /** Declarations collected onto the card and not yet taken by the tax office. */
  pendingDeclarations: z.array(z.object({ fiscalCardNumber: z.string(), periodStart: date, periodEnd: date, validTotal: moneySchema, returnTotal: moneySchema })),
});
export type UserCardReport = z.infer<typeof userCardReportSchema>;

export const inspectionCardReportSchema = z.object({
  cardNumber: z.string(), officeCode: z.number().int(), validUntil: date, holderName: z.string(),
});
export type InspectionCardReport = z.infer<typeof inspectionCardReportSchema>;

/**
 * An upgrade card (gb18240-card SPEC.md §8): EF01's size; whether it holds a header of this gateway's layout
 * (written), is erased (blank), holds another layout (foreign) or a header that does not check (damaged); with a
 * header, what it says and whether the card's data matches its digest.
 */
export const upgradeCardReportSchema = z.object({
  capacity: z.number().int(),
  state: z.enum(['written', 'blank', 'foreign', 'damaged']),
  header: z.object({
    part: z.number().int(), parts: z.number().int(), packageId: z.string(), version: z.string(), model: z.string(),
    /** 16 digits; all zeros: written for any register of the model. */
    machineNumber: z.string(),
    packageLength: z.number().int(), dataOffset: z.number().int(), dataLength: z.number().int(), trialSeconds: z.number().int(),
  }).optional(),
  dataVerified: z.boolean().optional(),
});
export type UpgradeCardReport = z.infer<typeof upgradeCardReportSchema>;

/** A part of the card that could not be read; the rest of the report still stands. */
export const cardReadProblemSchema = z.object({ part: z.string(), code: z.string(), message: z.string(), messageZh: z.string() });
export type CardReadProblem = z.infer<typeof cardReadProblemSchema>;

export const cardReportSchema = z.object({
  /** `pcsc` reader name, or `<device>/fiscal` / `<device>/user` for a register slot. */
  reader: z.string(),
  channel: z.enum(['pcsc', 'register-slot', 'virtual']),
  kind: cardKindSchema,
  atr: z.string(),
  fiscal: fiscalCardReportSchema.optional(),
  user: userCardReportSchema.optional(),
  inspection: inspectionCardReportSchema.optional(),
  upgrade: upgradeCardReportSchema.optional(),
  problems: z.array(cardReadProblemSchema),
});
export type CardReport = z.infer<typeof cardReportSchema>;
