import { z } from 'zod';
import { CMD } from '../commandCodes.js';
import { command, emptyPayload, layout } from './codec.js';
import { digits, linkDate, u32 } from './schemas.js';

export const slotStates = ['empty', 'present', 'powered'] as const;
export type SlotState = (typeof slotStates)[number];

export const registerStatusSchema = z.object({
  initialized: z.boolean(),
  fiscalMode: z.boolean(),
  locks: z.object({
    /** The issue deadline has passed (ER 11 on issuing). */
    deadlinePassed: z.boolean(),
    /** Five years (1835 days) after initialization. */
    fiveYear: z.boolean(),
    fiscalCard: z.boolean(),
    userCard: z.boolean(),
    fiscalMemoryFault: z.boolean(),
  }),
  /** Declared and waiting for the control update (完税后监控数据更新). */
  awaitingControlUpdate: z.boolean(),
  /** A firmware transfer (64) is in progress. */
  firmwareTransfer: z.boolean(),
  issueDeadline: linkDate.nullable(),
  invoiceCount: u32,
  dailyRecordCount: u32,
  declarationCount: u32,
  distributedRollCount: u32,
  /** The roll invoices are issued from now; null when none is mounted. */
  currentRoll: z.object({ invoiceCode: digits(20), nextNumber: u32, endNumber: u32 }).nullable(),
  fiscalSlot: z.enum(slotStates),
  userSlot: z.enum(slotStates),
  lastDeclarationEnd: linkDate.nullable(),
  lastSignedDay: linkDate.nullable(),
});
export type RegisterStatus = z.infer<typeof registerStatusSchema>;

const lockBits = ['deadlinePassed', 'fiveYear', 'fiscalCard', 'userCard', 'fiscalMemoryFault'] as const;

/** 41 status, 52 bytes (SPEC.md §5.6; the public firmware's 41 is only "upload status", the layout is the project's). */
export const status = command(CMD.STATUS, 'status', 'read', emptyPayload(CMD.STATUS), layout<RegisterStatus>(
  CMD.STATUS, registerStatusSchema,
  (w, v) => {
    w.bool(v.initialized).bool(v.fiscalMode);
    w.u8(lockBits.reduce((bits, name, i) => (v.locks[name] ? bits | (1 << i) : bits), 0), 'lock flags');
    w.u8((v.awaitingControlUpdate ? 1 : 0) | (v.firmwareTransfer ? 2 : 0), 'pending flags');
    w.date(v.issueDeadline, 'issue deadline').u32(v.invoiceCount).u32(v.dailyRecordCount).u32(v.declarationCount).u32(v.distributedRollCount);
    if (v.currentRoll === null) w.raw(new Uint8Array(18));
    else w.bcd(v.currentRoll.invoiceCode, 10, 'invoice code').u32(v.currentRoll.nextNumber).u32(v.currentRoll.endNumber);
    w.u8(slotStates.indexOf(v.fiscalSlot)).u8(slotStates.indexOf(v.userSlot));
    w.date(v.lastDeclarationEnd, 'last declaration end').date(v.lastSignedDay, 'last signed day');
  },
  (r) => {
    const initialized = r.bool('initialized');
    const fiscalMode = r.bool('fiscal mode');
    const lockFlags = r.u8('lock flags');
    if (lockFlags >> lockBits.length !== 0) r.fail(`unknown lock flags ${lockFlags.toString(2)}`);
    const locks = Object.fromEntries(lockBits.map((name, i) => [name, (lockFlags & (1 << i)) !== 0])) as RegisterStatus['locks'];
    const pending = r.u8('pending flags');
    if (pending >> 2 !== 0) r.fail(`unknown pending flags ${pending.toString(2)}`);
    const issueDeadline = r.date('issue deadline');
    const invoiceCount = r.u32();
    const dailyRecordCount = r.u32();
    const declarationCount = r.u32();
    const distributedRollCount = r.u32();
    const invoiceCode = r.bcd(10, 'invoice code');
    const nextNumber = r.u32();
    const endNumber = r.u32();
    const none = invoiceCode === '0'.repeat(20) && nextNumber === 0 && endNumber === 0;
    const slot = (what: string) => {
      const index = r.u8(what);
      const state = slotStates[index];
      if (state === undefined) r.fail(`${what} state ${index} unknown`);
      return state;
    };
    return {
      initialized, fiscalMode, locks,
      awaitingControlUpdate: (pending & 1) !== 0,
      firmwareTransfer: (pending & 2) !== 0,
      issueDeadline, invoiceCount, dailyRecordCount, declarationCount, distributedRollCount,
      currentRoll: none ? null : { invoiceCode, nextNumber, endNumber },
      fiscalSlot: slot('fiscal slot'),
      userSlot: slot('user slot'),
      lastDeclarationEnd: r.date('last declaration end'),
      lastSignedDay: r.date('last signed day'),
    };
  },
));
