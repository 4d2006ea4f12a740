import type { CardChannel } from '../../../contracts/CardChannel.js';
import { isGatewayError, type GatewayError } from '../../../contracts/errors/index.js';
import { CardSession, type CardSessionOptions, type FiscalRegistration } from '../../devices/CardSession.js';
import { DECLARATION_FLAG_PENDING } from '../../../protocols/gb18240-card/userFiles.js';
import { unknownPinTries } from '../../../protocols/gb18240-card/pinTries.js';
import { assessRegistration } from '../../../protocols/gb18240-card/registration.js';
import { ROLL_FLAG_IN_USE, ROLL_FLAG_USED_UP, ROLL_FLAG_WAITING } from '../../../protocols/gb18240-card/fiscalFiles.js';
import type { CardReadProblem, CardReport, FiscalCardReport, InspectionCardReport, UserCardReport } from './CardReport.js';
import { money, rate } from '../common/money.js';
import { readUpgradeCard } from './readUpgradeCard.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

function rollState(flag: number): FiscalCardReport['rolls'][number]['state'] {
  if (flag === ROLL_FLAG_WAITING) return 'waiting';
  if (flag === ROLL_FLAG_IN_USE) return 'in-use';
  if (flag === ROLL_FLAG_USED_UP) return 'used-up';
  return 'unknown';
}

/** The card answered with an error (a part of the report is missing), rather than the card or the link going away. */
function isCardAnswer(error: unknown): error is GatewayError {
  return isGatewayError(error) && error.code !== 'CARD_REMOVED' && !error.code.startsWith('LINK_') && !error.code.startsWith('TRANSPORT_');
}

function problemOf(part: string, error: GatewayError): CardReadProblem {
  return { part, code: error.code, message: error.localized('en'), messageZh: error.localized('zh-CN') };
}

/** Reads one optional part; a card error becomes a named problem and the part's fallback. */
async function part<T>(problems: CardReadProblem[], name: string, read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isCardAnswer(error)) throw error;
    problems.push(problemOf(name, error));
    return fallback;
  }
}

/** A part the report cannot do without, refused by the card: carried to readCard, which reports it by name. */
class RequiredPartRefused extends Error {
  constructor(readonly part: string, readonly refusal: GatewayError) {
    super(refusal.message);
  }
}

async function required<T>(name: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw isCardAnswer(error) ? new RequiredPartRefused(name, error) : error;
  }
}

/** Fiscal card (税控卡): EF02 basic data and EF01 monitoring data are required; the rest is reported when readable. */
export async function readFiscalCard(session: CardSession, problems: CardReadProblem[]): Promise<FiscalCardReport> {
  const basic = await required('EF02', () => session.readFiscalBasic());
  const monitoring = await required('EF01', () => session.readFiscalMonitoring());
  const accumulation = await part(problems, 'EF03', () => session.readFiscalAccumulation(), undefined);
  const rolls = await part(problems, 'EF05', () => session.readFiscalRolls(), []);
  const declarations = await part(problems, 'EF04', () => session.readFiscalDeclarations(), []);
  // The tries are asked without spending one (ISO VERIFY without data, SPEC.md §2.3), never with F9; the
  // registration is cross-checked with them and with EF03/EF04/EF05, never decided on the flag byte (§3.2).
  const read = { rolls, declarations, ...(accumulation === undefined ? {} : { accumulation }) };
  const registration = await part<FiscalRegistration | undefined>(problems, 'PIN', () => session.readFiscalRegistration(basic, read), undefined);
  const assessed = registration ?? { ...assessRegistration({ flag: basic.registrationFlag, pinTries: unknownPinTries('not-asked') }), pinTries: unknownPinTries('not-asked') };
  return {
    cardNumber: basic.cardNumber,
    machineNumber: basic.machineNumber,
    taxpayer: { number: basic.taxpayerNumber, id: basic.taxpayerId, name: basic.taxpayerName },
    officeCode: basic.officeCode,
    applicationStart: basic.applicationStart,
    validUntil: basic.validUntil,
    registration: assessed.state,
    registrationDetail: {
      flag: basic.registrationFlag.toString(16).toUpperCase().padStart(2, '0'), flagReading: assessed.flagReading, signs: [...assessed.signs],
      ...(assessed.uncertainBecause === undefined ? {} : { uncertainBecause: assessed.uncertainBecause }),
    },
    declarationMode: basic.declarationMode,
    monitoring: {
      issueDeadline: monitoring.issueDeadline,
      singleInvoice: money(monitoring.singleInvoiceLimit),
      cumulative: money(monitoring.cumulativeLimit),
      returns: money(monitoring.returnLimit),
      taxIndex: [...monitoring.taxIndex],
      detailMode: monitoring.detailMode,
    },
    accumulated: {
      validCount: accumulation?.validCount ?? 0,
      returnCount: accumulation?.returnCount ?? 0,
      voidCount: accumulation?.voidCount ?? 0,
      validTotal: money(accumulation?.validTotal ?? 0),
      returnTotal: money(accumulation?.returnTotal ?? 0),
      lastIssueDate: accumulation?.lastIssueDate ?? null,
      lastSignedDate: accumulation?.lastSignedDate ?? null,
      lastDeclaredEnd: accumulation?.lastDeclaredEnd ?? null,
    },
    rolls: rolls.map((r) => ({ state: rollState(r.flag), invoiceCode: r.invoiceCode, start: r.start, end: r.end })),
    declarations: declarations.map((d) => ({
      periodStart: d.declaration.periodStart, periodEnd: d.declaration.periodEnd,
      validTotal: money(d.validTotal), returnTotal: money(d.returnTotal), status: d.status,
    })),
    pinTries: assessed.pinTries,
  };
}

/** User card (用户卡): EF02 is required; tax items, controls, machines, rolls and declarations are reported when readable. */
export async function readUserCard(session: CardSession, problems: CardReadProblem[]): Promise<UserCardReport> {
  const basic = await required('EF02', () => session.readUserBasic());
  const taxItems = await part(problems, 'EF03', () => session.readUserTaxItems(), []);
  const controls = await part(problems, 'EF01', () => session.readUserControls(), []);
  const machines = await part(problems, 'EF06', () => session.readUserMachines(), []);
  const purchased = await part(problems, 'EF05', () => session.readUserPurchasedRolls(), []);
  const lastRoll = await part(problems, 'EF07', () => session.readUserLastDistributedRoll(), null);
  const declarations = await part(problems, 'EF04', () => session.readUserDeclarations(), []);
  return {
    cardNumber: basic.cardNumber,
    taxpayer: { number: basic.taxpayerNumber, id: basic.taxpayerId, name: basic.taxpayerName },
    officeCode: basic.officeCode,
    applicationStart: basic.applicationStart,
    validUntil: basic.validUntil,
    taxItems: taxItems.map((t) => ({ index: t.index, itemCode: t.itemCode, rate: rate(t.rate), nameZh: t.nameZh, nameEn: t.nameEn })),
    controls: controls.map((c) => ({
      fiscalCardNumber: c.fiscalCardNumber, keyId: c.keyId,
      issueDeadline: c.controls.issueDeadline,
      singleInvoice: money(c.controls.singleInvoiceLimit),
      cumulative: money(c.controls.cumulativeLimit),
      returns: money(c.controls.returnLimit),
      taxIndex: [...c.controls.taxIndex],
    })),
    machines: machines.map((m) => ({ machineNumber: m.machineNumber, fiscalCardNumber: m.fiscalCardNumber })),
    purchasedRolls: purchased.map((r) => ({ invoiceCode: r.invoiceCode, start: r.start, end: r.end, rollCount: r.rollCount })),
    lastDistributedRoll: lastRoll === null ? null : { invoiceCode: lastRoll.invoiceCode, start: lastRoll.start, end: lastRoll.end },
    pendingDeclarations: declarations.filter((d) => d.flag === DECLARATION_FLAG_PENDING).map((d) => ({
      fiscalCardNumber: d.fiscalCardNumber, periodStart: d.declaration.periodStart, periodEnd: d.declaration.periodEnd,
      validTotal: money(d.result.validTotal), returnTotal: money(d.result.returnTotal),
    })),
  };
}

async function readInspectionCard(session: CardSession): Promise<InspectionCardReport> {
  const basic = await session.readInspectionBasic();
  return { cardNumber: basic.cardNumber, officeCode: basic.officeCode, validUntil: basic.validUntil, holderName: basic.holderName };
}

/**
 * Which card is on `channel` and what it holds, for people. Read-only: it selects and reads, and asks
 * the fiscal card's PIN tries without spending one. Works the same over a PC/SC reader, a register
 * slot or a virtual card. A card that is not there fails with the channel's own error (CARD_ABSENT…).
 */
export async function readCard(channel: CardChannel, options: CardSessionOptions = {}): Promise<CardReport> {
  const atr = await channel.reset();
  const session = new CardSession(channel, options);
  const kind = await session.identify();
  const problems: CardReadProblem[] = [];
  const report: CardReport = { reader: channel.description.reader, channel: channel.description.kind, kind, atr: hex(atr), problems };
  try {
    if (kind === 'fiscal') return { ...report, fiscal: await readFiscalCard(session, problems) };
    if (kind === 'user') return { ...report, user: await readUserCard(session, problems) };
    if (kind === 'inspection') return { ...report, inspection: await readInspectionCard(session) };
    if (kind === 'upgrade') return { ...report, upgrade: await required('EF01', () => readUpgradeCard(channel)) };
  } catch (error) {
    // A link or card that went away fails the read; a card that refused a required file is reported with what is known.
    if (error instanceof RequiredPartRefused) problems.push(problemOf(error.part, error.refusal));
    else if (isCardAnswer(error)) problems.push(problemOf('EF02', error));
    else throw error;
  }
  return report;
}

