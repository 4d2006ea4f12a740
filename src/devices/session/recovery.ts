import type { FiscalMonitoringData } from '../../../protocols/gb18240-card/fiscalFiles.js';
import type { CommandSpec, ControlLimits, InitializationData, InvoiceRoll, LinkDateTime, TaxpayerUpdate } from '../../../protocols/gb-link/index.js';
import * as link from '../../../protocols/gb-link/index.js';
import { CardSession } from '../CardSession.js';
import { RegisterCardChannel } from './RegisterCardChannel.js';

/** Runs a read inside the exchange that is recovering (the session lock is already held). */
export type StateReader = <Req, Res>(spec: CommandSpec<Req, Res>, request: Req) => Promise<Res>;

export type Verdict<Res> =
  | { readonly outcome: 'applied'; readonly result: Res }
  | { readonly outcome: 'not-applied' }
  | { readonly outcome: 'unknown'; readonly found: Record<string, unknown> };

/**
 * How to learn, by reading the register's state, whether a state-changing command whose reply
 * was lost took effect (DESIGN.md: never re-send blindly). `before` runs ahead of the command
 * when the check needs a reference; `check` runs after the line has gone quiet.
 */
export interface Recovery<Req, Res, Before = unknown> {
  before?(read: StateReader, request: Req): Promise<Before>;
  check(read: StateReader, request: Req, context: { before: Before; sentAt: number; now: number }): Promise<Verdict<Res>>;
}

/**
 * Initialization took effect when the register reports itself initialized for this taxpayer and
 * fiscal card. "Not initialized" does not prove the command never arrived: the register checks the
 * PIN with the fiscal card (which then rotates it) before it writes fiscal memory, so a second 30 with
 * the same PIN could spend a PIN try. It is never re-sent here; the next run decides, with the PIN
 * tries in its checks and the last try guarded.
 */
export const initializeRecovery: Recovery<InitializationData, void> = {
  async check(read, request) {
    const status = await read(link.status, undefined);
    if (!status.initialized) return { outcome: 'unknown', found: { initialized: false, pinMayHaveRotated: true } };
    const info = await read(link.userInfo, undefined);
    if (info.taxpayerNumber === request.taxpayerNumber && info.fiscalCardNumber === request.fiscalCardNumber) {
      return { outcome: 'applied', result: undefined };
    }
    return { outcome: 'unknown', found: { initialized: true, taxpayerNumber: info.taxpayerNumber, fiscalCardNumber: info.fiscalCardNumber } };
  },
};

const clockToleranceMs = 3000;
const asMs = (value: LinkDateTime) => Date.parse(`${value}Z`);

/**
 * A clock setting took effect when the register's clock now reads the requested time plus
 * the time since it was sent; it did not when the clock still runs from where it was before.
 */
export const clockRecovery: Recovery<LinkDateTime, void, { clock: number; at: number }> = {
  async before(read) {
    const clock = asMs(await read(link.dateTime, undefined));
    return { clock, at: Date.now() };
  },
  async check(read, request, { before, sentAt }) {
    const clock = asMs(await read(link.dateTime, undefined));
    const now = Date.now();
    const ifApplied = asMs(request) + (now - sentAt);
    const ifNot = before.clock + (now - before.at);
    if (Math.abs(clock - ifApplied) <= clockToleranceMs) return { outcome: 'applied', result: undefined };
    if (Math.abs(clock - ifNot) <= clockToleranceMs) return { outcome: 'not-applied' };
    return { outcome: 'unknown', found: { registerClock: new Date(clock).toISOString().slice(0, 19) } };
  },
};

export const updateTaxpayerRecovery: Recovery<TaxpayerUpdate, void, TaxpayerUpdate> = {
  async before(read) {
    const info = await read(link.userInfo, undefined);
    return { taxpayerName: info.taxpayerName, officeCode: info.officeCode, declarationMode: info.declarationMode };
  },
  async check(read, request, { before }) {
    const info = await read(link.userInfo, undefined);
    const now = { taxpayerName: info.taxpayerName, officeCode: info.officeCode, declarationMode: info.declarationMode };
    const same = (a: TaxpayerUpdate, b: TaxpayerUpdate) => a.taxpayerName === b.taxpayerName && a.officeCode === b.officeCode && a.declarationMode === b.declarationMode;
    if (same(now, request)) return { outcome: 'applied', result: undefined };
    if (same(now, before)) return { outcome: 'not-applied' };
    return { outcome: 'unknown', found: now };
  },
};

/**
 * A distribution took effect when the register holds exactly one more distributed roll; that roll is
 * the result. An unchanged count does NOT prove it did not happen: the user card may have handed the
 * roll out (user EF07) and the register lost it before storing it, and a second 31 would take another
 * roll from the card. So it is never re-sent: the caller looks at user EF07 before distributing again.
 */
export const distributeRecovery: Recovery<void, InvoiceRoll, number> = {
  async before(read) {
    return (await read(link.status, undefined)).distributedRollCount;
  },
  async check(read, _request, { before }) {
    const count = (await read(link.status, undefined)).distributedRollCount;
    if (count === before) return { outcome: 'unknown', found: { distributedRollsNow: count, newRoll: 'none stored; the user card may have given one out (EF07)' } };
    if (count !== before + 1) return { outcome: 'unknown', found: { distributedRollsBefore: before, distributedRollsNow: count } };
    const [roll] = await read(link.distributedRolls, { from: count, count: 1 });
    if (roll === undefined) return { outcome: 'unknown', found: { distributedRollsNow: count, roll: 'unreadable' } };
    return { outcome: 'applied', result: { invoiceCode: roll.invoiceCode, start: roll.start, end: roll.end } };
  },
};

/** Mounting took effect when the distributed roll is no longer in state `distributed`. */
export const inputInvoiceNumbersRecovery: Recovery<InvoiceRoll, void> = {
  async check(read, request) {
    const total = (await read(link.status, undefined)).distributedRollCount;
    const pageSize = 64;
    for (let to = total; to >= 1; to -= pageSize) {
      const from = Math.max(1, to - pageSize + 1);
      const rolls = await read(link.distributedRolls, { from, count: to - from + 1 });
      const roll = rolls.find((r) => r.invoiceCode === request.invoiceCode && r.start === request.start && r.end === request.end);
      if (roll !== undefined) return roll.state === 'distributed' ? { outcome: 'not-applied' } : { outcome: 'applied', result: undefined };
    }
    return { outcome: 'unknown', found: { roll: 'not among the distributed rolls' } };
  },
};

/**
 * Fiscal card EF01 read through the register's slot with the reads of the exchange that is recovering:
 * 59 (a warm reset, which only drops the card's PIN-verified state) and 5B SELECT / READ BINARY.
 */
async function readFiscalMonitoring(read: StateReader): Promise<FiscalMonitoringData> {
  const channel = new RegisterCardChannel({
    powerOn: (slot) => read(link.cardPowerOn, { slot }),
    apdu: (slot, apdu) => read(link.cardApdu, { slot, apdu }),
  }, 'fiscal', 'recovery');
  const card = new CardSession(channel);
  await card.reset();
  return card.readFiscalMonitoring();
}

const sameMonitoring = (a: FiscalMonitoringData, b: FiscalMonitoringData) =>
  a.issueDeadline === b.issueDeadline && a.singleInvoiceLimit === b.singleInvoiceLimit && a.cumulativeLimit === b.cumulativeLimit
  && a.returnLimit === b.returnLimit && a.taxIndex.join(',') === b.taxIndex.join(',');

const limitsOf = (m: FiscalMonitoringData): ControlLimits => ({
  issueDeadline: m.issueDeadline, singleInvoiceLimit: m.singleInvoiceLimit, cumulativeLimit: m.cumulativeLimit,
  returnLimit: m.returnLimit, taxIndex: [...m.taxIndex],
});

/**
 * 40 control write-back (SPEC.md §5.14, §7). Before: the declared flag (41) and fiscal EF01. After a
 * lost reply: the flag cleared means it took effect (the answer is EF01 as it now reads); the flag still
 * set with EF01 unchanged means it surely did not; the flag set with EF01 changed means the card took
 * UPDATE_CONTROLS and the register lost it before clearing its flag: in doubt, and never re-sent
 * blindly, since every 40 spends a PIN verification.
 */
export const controlWriteBackRecovery: Recovery<void, ControlLimits, { declared: boolean; fiscal: FiscalMonitoringData }> = {
  async before(read) {
    const declared = (await read(link.status, undefined)).awaitingControlUpdate;
    return { declared, fiscal: await readFiscalMonitoring(read) };
  },
  async check(read, _request, { before }) {
    const status = await read(link.status, undefined);
    const fiscal = await readFiscalMonitoring(read);
    if (before.declared && !status.awaitingControlUpdate) return { outcome: 'applied', result: limitsOf(fiscal) };
    if (sameMonitoring(fiscal, before.fiscal)) return { outcome: 'not-applied' };
    return {
      outcome: 'unknown',
      found: { declaredFlag: status.awaitingControlUpdate, fiscalCardBefore: limitsOf(before.fiscal), fiscalCardNow: limitsOf(fiscal) },
    };
  },
};
