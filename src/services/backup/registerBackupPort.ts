import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import * as link from '../../../protocols/gb-link/index.js';
import type {
  CommandSpec, DailyRecord, DeclarationRecord, FactoryData, InitializationRecord, InvoiceRecord, PayloadCodec, RecordCounts, RecordListCodec,
  RegisterStatus, RollRecord, RollSummary, UserInfo,
} from '../../../protocols/gb-link/index.js';
import type { RegisterExtensions, RegisterSession } from '../../devices/RegisterSession.js';
import { bulkPageSizes } from '../../devices/session/paging.js';
import { toJsonLine } from './jsonValue.js';
import type { BackupDevice, BackupProblem, SkippedCheck } from './BackupManifest.js';
import type { BackupPort, BackupSection, RecordFacts, RegisterHoldings, RereadOutcome, SourceChunk, SourceRecord } from './BackupPort.js';
import { cardSections } from './cardSections.js';

export interface RegisterBackupOptions {
  /** The gateway's id of the device (the registry's; its machine number once identified). */
  readonly deviceId?: string;
  /** Records per 3F / 3E / 32 / 3C / 73 request. Default 256, 1024 when 70 lists 74 (bulkPageSizes); never more than the max message holds. */
  readonly pageSize?: number;
  /** Days per 44 request. Default 62, 366 when 70 lists 74. */
  readonly dailyWindowDays?: number;
  /** Back up the cards in the register's slots too (59/5B). Default true. */
  readonly cards?: boolean;
  /** The register time zone setting, minutes east of UTC (SPEC.md §4.1). Default UTC+8. */
  readonly utcOffsetMinutes?: number;
}

/** The session's typed commands, but answering the bytes as read: the backup keeps both. */
const asRead: PayloadCodec<Uint8Array> = { encode: (bytes) => bytes, decode: (bytes) => Uint8Array.from(bytes) };

function readRaw<Req>(session: RegisterSession, spec: CommandSpec<Req, unknown>, request: Req): Promise<Uint8Array> {
  return session.execute<Req, Uint8Array>({ ...spec, response: asRead }, request);
}

const message = (error: unknown) => (isGatewayError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error));

/** One answer that holds one value (37, 38, 39, 41, 3A, 72): the bytes, and the value when it decodes. */
function decodeOne<T>(raw: Uint8Array, codec: PayloadCodec<T>, records: (value: T) => SourceRecord[]): SourceChunk {
  try {
    return { raw, records: records(codec.decode(raw)) };
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return { raw, records: [], decodeError: message(error) };
  }
}

/**
 * A record list answer (SPEC.md §4.2) decoded record by record, so one damaged record is named and
 * the others are still kept.
 */
export function decodeRecordList<T>(raw: Uint8Array, codec: RecordListCodec<T>): { records: T[]; errors: string[] } {
  if (raw.length < 4) return { records: [], errors: [`answer of ${raw.length} bytes has no record count`] };
  const count = new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0);
  const size = codec.recordSize;
  const errors: string[] = [];
  if (raw.length - 4 !== count * size) errors.push(`${count} records of ${size} bytes do not fill ${raw.length - 4} bytes`);
  const whole = Math.min(count, Math.floor((raw.length - 4) / size));
  const records: T[] = [];
  const one = new Uint8Array(4 + size);
  one[3] = 1;
  for (let i = 0; i < whole; i++) {
    one.set(raw.subarray(4 + i * size, 4 + (i + 1) * size), 4);
    try {
      records.push(codec.decode(one)[0]!);
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      errors.push(`record ${i + 1} of the answer: ${message(error)}`);
    }
  }
  return { records, errors };
}

function listChunk<T>(raw: Uint8Array, codec: RecordListCodec<T>, facts: (record: T) => RecordFacts): SourceChunk {
  const { records, errors } = decodeRecordList(raw, codec);
  return {
    raw,
    records: records.map((record) => ({ record, facts: facts(record) })),
    ...(errors.length > 0 ? { decodeError: errors.join('; ') } : {}),
  };
}

function checkSignal(signal: AbortSignal): void {
  if (signal.aborted) throw new GatewayError('CANCELLED');
}

/**
 * The pages of `pages` in order, each one's successor asked for before it is handed on: the register
 * sends page k + 1 while the backup decodes, hashes and writes page k, instead of the line idling
 * through that work (the link carries one exchange at a time, so at most one request is ahead).
 * Nothing is asked twice or out of order: `pages` is the session's paged read, consumed as before.
 */
export async function* readAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  let next = iterator.next();
  let finished = false;
  try {
    for (;;) {
      const current = await next;
      if (current.done === true) {
        finished = true;
        return;
      }
      next = iterator.next();
      // A failure of the page ahead is thrown where that page is awaited, not as an unhandled rejection meanwhile.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    // Stopped early (an error or cancellation downstream): let the page in flight end, then close the read.
    if (!finished) await next.then(() => iterator.return?.(), () => undefined);
  }
}

/* ---------- facts the completeness checks use ---------- */

const day = (dateTime: string) => dateTime.slice(0, 10);

function invoiceFacts(invoice: InvoiceRecord): RecordFacts {
  return {
    date: day(invoice.issuedAt),
    number: invoice.invoiceNumber,
    position: invoice.seq,
    invoice: { code: invoice.invoiceCode, number: invoice.invoiceNumber, voided: invoice.type === 'void' },
    sale: { type: invoice.type, items: invoice.items, total: invoice.total },
  };
}

function dailyFacts(daily: DailyRecord): RecordFacts {
  return {
    date: daily.date,
    integrity: { signature: daily.signature },
    totals: {
      from: daily.date, to: daily.date, validCount: daily.validCount, returnCount: daily.returnCount, voidCount: daily.voidCount,
      taxIndex: daily.taxIndex, validAmounts: daily.validAmounts, returnAmounts: daily.returnAmounts,
    },
  };
}

function declarationFacts(declaration: DeclarationRecord): RecordFacts {
  return {
    date: declaration.end,
    number: declaration.seq,
    position: declaration.seq,
    integrity: { signature: declaration.signature },
    totals: {
      from: declaration.start, to: declaration.end, validCount: declaration.validCount, returnCount: declaration.returnCount,
      voidCount: declaration.voidCount, taxIndex: declaration.taxIndex, validAmounts: declaration.validAmounts,
      returnAmounts: declaration.returnAmounts, validTotal: declaration.validTotal, returnTotal: declaration.returnTotal,
    },
  };
}

/** How far a roll has been used, from its state and the current roll of status 41. */
function rollFacts(roll: RollRecord, status: RegisterStatus): RecordFacts {
  const current = status.currentRoll;
  let usedThrough: number | undefined;
  if (roll.state === 'used-up') usedThrough = roll.end;
  else if (roll.state === 'distributed' || roll.state === 'mounted') usedThrough = roll.start - 1;
  else if (current !== null && current.invoiceCode === roll.invoiceCode && current.nextNumber >= roll.start && current.nextNumber <= roll.end + 1) {
    usedThrough = current.nextNumber - 1;
  }
  return {
    date: roll.distributedOn,
    number: roll.seq,
    position: roll.seq,
    roll: { code: roll.invoiceCode, start: roll.start, end: roll.end, ...(usedThrough === undefined ? {} : { usedThrough }) },
  };
}

function initializationFacts(record: InitializationRecord): RecordFacts {
  return { date: day(record.recordedAt), number: record.seq, position: record.seq };
}

function rollSummaryFacts(summary: RollSummary): RecordFacts {
  return { ...(summary.closedOn === null ? {} : { date: summary.closedOn }), number: summary.seq, position: summary.seq };
}

/** What a roll summary adds up while its roll is in use; the rest of it never changes. */
const growingSummaryFields = ['validCount', 'returnCount', 'voidCount', 'validTotal', 'returnTotal', 'closedOn'] as const;

/* ---------- the register's answers as backup sections ---------- */

interface Snapshot {
  readonly factoryRaw: Uint8Array;
  readonly factory: FactoryData;
  readonly userInfoRaw?: Uint8Array;
  readonly userInfo?: UserInfo;
}

interface Held {
  readonly statusRaw: Uint8Array;
  readonly status: RegisterStatus;
  /** 72, when the register offers it (SPEC.md §5.9). */
  readonly counts?: { readonly raw: Uint8Array; readonly value: RecordCounts };
  readonly offered: RegisterExtensions;
}

/** The record read again, as plain JSON (bytes as hex, like the backup's lines), compared with `volatile` fields left out. */
function reread(onDevice: unknown, stored: unknown, volatile: readonly string[] = []): RereadOutcome {
  if (onDevice === undefined) return { found: false };
  const plain = JSON.parse(toJsonLine(onDevice)) as unknown;
  const stable = (value: unknown) => {
    const copy = { ...(value as Record<string, unknown>) };
    for (const field of volatile) delete copy[field];
    return JSON.stringify(copy);
  };
  return { found: true, same: stable(plain) === stable(stored), onDevice: plain };
}

interface IndexCounts {
  /** How many to read (72); undefined: to the end of memory, until the register answers fewer than asked. */
  readonly count: number | undefined;
  /** What the register says it holds (72, else status 41), checked against what was read. */
  readonly expected: number | undefined;
}

/**
 * Records by position (3F invoices, 3E declarations, 32 rolls, 3C, 73) from position 1, in pages the
 * session sizes (max message, ER 22); `reread` reads one position again.
 */
function indexSection<T>(
  session: RegisterSession, kind: string, spec: CommandSpec<link.IndexRange, T[], RecordListCodec<T>>, counts: IndexCounts,
  pageSize: number, facts: (record: T) => RecordFacts, volatile: readonly string[] = [], optional = false,
): BackupSection {
  return {
    kind,
    ...(counts.expected === undefined ? {} : { expected: counts.expected }),
    ...(optional ? { optional } : {}),
    async *read(signal) {
      if (counts.count === 0) return;
      for await (const raw of readAhead(session.rawIndexPages(spec, { from: 1, count: counts.count }, { pageSize, signal }))) {
        checkSignal(signal);
        yield listChunk(raw, spec.response, facts);
      }
    },
    async reread(seq, stored, signal) {
      checkSignal(signal);
      const { records } = decodeRecordList(await readRaw(session, spec, { from: seq + 1, count: 1 }), spec.response);
      return reread(records[0], stored, volatile);
    },
  };
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Daily records (44) by date, from the initialization day through the last signed day. */
function dailySection(session: RegisterSession, from: string, through: string, expected: number | undefined, windowDays: number): BackupSection {
  const codec = link.dailyRecords.response;
  return {
    kind: 'daily',
    ...(expected === undefined ? {} : { expected }),
    async *read(signal) {
      if (through < from) return;
      for await (const raw of readAhead(session.rawDailyPages({ from, to: through }, { pageSize: windowDays, signal }))) {
        checkSignal(signal);
        yield listChunk(raw, codec, dailyFacts);
      }
    },
    async reread(_seq, stored, signal) {
      checkSignal(signal);
      const date = (stored as { date?: unknown }).date;
      if (typeof date !== 'string' || !link.isLinkDate(date)) return { found: false };
      const { records } = decodeRecordList(await readRaw(session, link.dailyRecords, { from: date, to: date }), codec);
      return reread(records[0], stored);
    },
  };
}

function oneAnswer<T>(kind: string, read: () => Promise<Uint8Array>, codec: PayloadCodec<T>, records: (value: T) => SourceRecord[] = (value) => [{ record: value }]): BackupSection {
  return {
    kind,
    async *read() {
      yield decodeOne(await read(), codec, records);
    },
  };
}

function fromCache(kind: string, raw: Uint8Array, value: unknown): BackupSection {
  return {
    kind,
    expected: 1,
    async *read() {
      yield { raw, records: [{ record: value }] };
    },
  };
}

/** The checks a register without some extensions gives no means to make (SPEC.md §5.9), for the manifest. */
function skippedChecks(offered: RegisterExtensions, initialized: boolean): SkippedCheck[] {
  const skipped: SkippedCheck[] = [];
  const counts = offered.offers(link.CMD.RECORD_COUNTS);
  if (!counts) {
    skipped.push({
      check: 'count', kind: 'counts', command: '72',
      reason: 'the register offers no record counts (72): invoices, daily records, declarations and rolls were read to the end of memory and '
        + 'checked against the counts of status 41, their own sequence numbers, the roll ranges and the daily coverage instead',
    });
  }
  if (!initialized) return skipped;
  for (const [kind, code, what] of [['init-history', link.CMD.INITIALIZATION_HISTORY, 'initialization history'], ['roll-summaries', link.CMD.ROLL_SUMMARIES, 'roll usage summaries']] as const) {
    const hex = link.hexByte(code);
    if (!offered.offers(code)) {
      skipped.push({
        check: 'read', kind, command: hex,
        reason: kind === 'init-history'
          ? `the register does not offer its ${what} (${hex}): only the registration in force (38) is backed up, not the initialization record and earlier registration changes`
          : `the register does not offer ${what} (${hex}): each roll's usage is not backed up; invoices are checked against the roll ranges of 32 instead`,
      });
    } else if (!counts) {
      skipped.push({ check: 'count', kind, command: '72', reason: `no count to check the ${what} against (no 72): read to the end of memory and checked by their sequence numbers` });
    }
  }
  return skipped;
}

/**
 * A register as a BackupPort (GB link, SPEC.md §5): identity from 37 and 38 when opened; status 41,
 * record counts 72 (when 70 lists it) and, when the register reports a fiscal-memory fault, its own
 * fiscal-memory self-check 5F as holdings; then factory data, user info, tax items 39, clock 3A, status,
 * counts, initialization history 73, rolls 32, roll usage summaries 3C, daily records 44, declarations 3E
 * and invoices 3F, and the fiscal and user cards in its slots over 59/5B. An uninitialized register has
 * only its identity, status, clock and cards.
 *
 * Public firmware (SPEC.md §5.0): without 72 the by-position kinds are read to the end of memory and
 * checked against status 41's counts and their own sequence numbers; without 73 or 3C those kinds are
 * not read. The manifest's `skipped` names every check that could not be made, and why. The
 * initialization history and the roll summaries stay optional: a register that lists them but fails to
 * answer still gets a backup, with the read failure named as a problem.
 */
export async function openRegisterBackupPort(session: RegisterSession, options: RegisterBackupOptions = {}): Promise<BackupPort> {
  const factoryRaw = await readRaw(session, link.factoryData, undefined);
  const factory = link.factoryData.response.decode(factoryRaw);
  let snapshot: Snapshot = { factoryRaw, factory };
  try {
    const userInfoRaw = await readRaw(session, link.userInfo, undefined);
    snapshot = { ...snapshot, userInfoRaw, userInfo: link.userInfo.response.decode(userInfoRaw) };
  } catch (error) {
    if (!isGatewayError(error, 'LINK_NOT_INITIALIZED')) throw error;
  }
  const utcOffsetMinutes = options.utcOffsetMinutes ?? link.DEFAULT_REGISTER_UTC_OFFSET_MINUTES;
  const device: BackupDevice = {
    utcOffset: link.formatUtcOffset(utcOffsetMinutes),
    id: options.deviceId ?? factory.machineNumber,
    machineNumber: factory.machineNumber,
    model: factory.model,
    hardwareRevision: factory.hardwareRevision,
    firmwareVersion: factory.firmwareVersion,
    bootloaderVersion: factory.bootloaderVersion,
    ...(snapshot.userInfo === undefined ? {} : { taxpayerNumber: snapshot.userInfo.taxpayerNumber, fiscalCardNumber: snapshot.userInfo.fiscalCardNumber }),
  };
  let held: Held | undefined;

  return {
    device,
    async holdings(signal): Promise<RegisterHoldings> {
      checkSignal(signal);
      const statusRaw = await readRaw(session, link.status, undefined);
      const status = link.status.response.decode(statusRaw);
      const offered = await session.extensions();
      let counts: Held['counts'];
      if (offered.offers(link.CMD.RECORD_COUNTS)) {
        const raw = await readRaw(session, link.recordCounts, undefined);
        counts = { raw, value: link.recordCounts.response.decode(raw) };
      }
      held = { statusRaw, status, offered, ...(counts === undefined ? {} : { counts }) };
      const problems: BackupProblem[] = [];
      if (status.locks.fiscalMemoryFault) {
        const check = await session.selfCheck('memory');
        problems.push({
          check: 'self-check', kind: 'status',
          message: `the register reports a fiscal memory fault${check.result === 0 ? '' : ` (self-check 5F: 0x${check.result.toString(16).padStart(2, '0')} ${check.detail})`}`,
          data: { result: check.result, detail: check.detail },
        });
      }
      return {
        ...(snapshot.userInfo === undefined ? {} : { initializedOn: snapshot.userInfo.initializationDate }),
        ...(status.lastSignedDay === null ? {} : { lastDailyDate: status.lastSignedDay }),
        problems,
        skipped: skippedChecks(offered, snapshot.userInfo !== undefined),
      };
    },
    sections(): readonly BackupSection[] {
      if (held === undefined) throw new GatewayError('INTERNAL', { params: { detail: 'sections() before holdings()' } });
      const { status, offered } = held;
      const defaults = bulkPageSizes(offered.offers(link.CMD.WINDOWED_TRANSFER));
      const pageSize = Math.max(1, Math.min(options.pageSize ?? defaults.records, 0xffff));
      const windowDays = Math.max(1, options.dailyWindowDays ?? defaults.days);
      const counts = held.counts?.value;
      // With 72 its count is read and checked; without, everything to the end of memory, checked against 41 where it counts the kind.
      const countOf = (kind: keyof RecordCounts, inStatus?: number): IndexCounts => ({ count: counts?.[kind], expected: counts?.[kind] ?? inStatus });
      const sections: BackupSection[] = [
        fromCache('factory', snapshot.factoryRaw, snapshot.factory),
        fromCache('status', held.statusRaw, status),
        ...(held.counts === undefined ? [] : [fromCache('counts', held.counts.raw, held.counts.value)]),
        oneAnswer('datetime', () => readRaw(session, link.dateTime, undefined), link.dateTime.response, (value) => [{ record: { dateTime: value, at: link.registerInstant(value, utcOffsetMinutes).toISOString() } }]),
      ];
      if (snapshot.userInfo !== undefined && snapshot.userInfoRaw !== undefined) {
        sections.push(fromCache('user-info', snapshot.userInfoRaw, snapshot.userInfo));
        if (offered.offers(link.CMD.INITIALIZATION_HISTORY)) {
          sections.push(indexSection(session, 'init-history', link.initializationHistory, countOf('initializations'), pageSize, initializationFacts, [], true));
        }
        sections.push(
          oneAnswer('tax-items', () => readRaw(session, link.taxItems, undefined), link.taxItems.response, (items) => items.map((record) => ({ record }))),
          indexSection(session, 'rolls', link.distributedRolls, countOf('distributedRolls', status.distributedRollCount), pageSize, (roll) => rollFacts(roll, status), ['state']),
        );
        if (offered.offers(link.CMD.ROLL_SUMMARIES)) {
          sections.push(indexSection(session, 'roll-summaries', link.rollSummaries, countOf('rollSummaries'), pageSize, rollSummaryFacts, growingSummaryFields, true));
        }
        // No signed day yet: nothing to read, and the count the register announces is still checked.
        const through = status.lastSignedDay ?? addDays(snapshot.userInfo.initializationDate, -1);
        sections.push(dailySection(session, snapshot.userInfo.initializationDate, through, counts?.dailyRecords ?? status.dailyRecordCount, windowDays));
        sections.push(
          indexSection(session, 'declarations', link.declarations, countOf('declarations', status.declarationCount), pageSize, declarationFacts),
          indexSection(session, 'invoices', link.invoicesByIndex, countOf('invoices', status.invoiceCount), pageSize, invoiceFacts),
        );
      }
      if (options.cards ?? true) {
        sections.push(...cardSections('fiscal', session.cardChannel('fiscal')), ...cardSections('user', session.cardChannel('user')));
      }
      return sections;
    },
  };
}
