import type { BackupDevice, BackupProblem, SkippedCheck } from './BackupManifest.js';
import type { RollRange } from './checks/checkInvoiceSequence.js';
import type { RecordIntegrity } from './checks/checkRecordIntegrity.js';
import type { PeriodTotals, SaleAmounts } from './checks/checkSalesTotals.js';

/** What a decoded record tells the completeness checks; the adapter over the codecs fills what it knows. */
export interface RecordFacts {
  /** `YYYY-MM-DD` (daily records, invoices, declarations): the manifest's first/last dates, and daily coverage. */
  readonly date?: string;
  /** Invoice number, declaration number…: the manifest's first/last numbers. */
  readonly number?: number | string;
  /** The record's own position in the register's memory (its seq, 1-based): positions must run 1, 2, 3… without a gap. */
  readonly position?: number;
  readonly invoice?: { readonly code: string; readonly number: number; readonly voided?: boolean };
  readonly roll?: RollRange;
  /** A number the register records as a voided blank (作废) without an invoice record. */
  readonly voidedBlank?: { readonly code: string; readonly number: number };
  readonly integrity?: Omit<RecordIntegrity, 'seq'>;
  /** An invoice's type and amounts: its total must be the sum of its items, and its day's daily record must add it. */
  readonly sale?: SaleAmounts;
  /** What a daily record or declaration says a period's invoices (or daily records) add up to. */
  readonly totals?: PeriodTotals;
}

export interface SourceRecord {
  /** The decoded record, stored as one JSON line. */
  readonly record: unknown;
  readonly facts?: RecordFacts;
}

/** One reply of the register or card: the bytes as read and what was decoded from them. */
export interface SourceChunk {
  readonly raw: Uint8Array;
  readonly records: readonly SourceRecord[];
  /** Set when the bytes could not be decoded: they are kept raw and the problem is named. */
  readonly decodeError?: string;
}

/** One kind of data read in one pass (e.g. every daily record by time range, 44). */
export interface BackupSection {
  readonly kind: string;
  /** What the register or card says there are, when it says; checked against the records read. */
  readonly expected?: number;
  /**
   * True for what may legitimately be absent (the user card is the taxpayer's and often not in its slot):
   * a read failure is then a named problem, not the end of the backup.
   */
  readonly optional?: boolean;
  read(signal: AbortSignal): AsyncIterable<SourceChunk>;
  /**
   * Reads again from the device the record a backup holds at `seq` (0-based, as in `<kind>.jsonl`),
   * for the comparison of a backup with its register; kinds whose records change in place have none.
   */
  reread?(seq: number, stored: unknown, signal: AbortSignal): Promise<RereadOutcome>;
}

/** One record of a backup read again from its register. */
export type RereadOutcome =
  | { readonly found: false }
  | { readonly found: true; readonly same: boolean; readonly onDevice: unknown };

/** What the register says about its own holdings, read before the sections (status 41, init history). */
export interface RegisterHoldings {
  /** `YYYY-MM-DD` of fiscal initialization; daily records must cover every day from it. */
  readonly initializedOn?: string;
  /** The last day the register has signed; coverage runs through it. */
  readonly lastDailyDate?: string;
  /** What the register itself reports as wrong with its memory (status lock bits, self-check 5F). */
  readonly problems?: readonly BackupProblem[];
  /** Checks the register gives no means to make (public firmware: no 72, 73 or 3C), named in the manifest. */
  readonly skipped?: readonly SkippedCheck[];
}

/**
 * Everything a backup reads from one register and the cards in its slots. An adapter builds it over
 * a RegisterSession (`openRegisterBackupPort`: GB link 37, 38, 39, 41, 72, 3A, 32, 44, 3E, 3F) and
 * CardSession over `session.cardChannel('fiscal' | 'user')`; tests give a fake.
 */
export interface BackupPort {
  readonly device: BackupDevice;
  /** Reads status and counts; called once, first, so that sections can carry `expected`. */
  holdings(signal: AbortSignal): Promise<RegisterHoldings>;
  /** The sections to read, in order; called after `holdings`. */
  sections(): readonly BackupSection[];
}
