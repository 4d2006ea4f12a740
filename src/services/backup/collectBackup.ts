import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { isLinkFailure } from '../common/linkFailure.js';
import type { BackupProblem } from './BackupManifest.js';
import type { BackupPort, BackupSection, RecordFacts, RegisterHoldings, SourceChunk } from './BackupPort.js';
import type { BackupStore } from './BackupStore.js';
import type { BackupWriter, CommittedBackup } from './BackupWriter.js';
import { checkCount } from './checks/checkCount.js';
import { checkDailyCoverage, type DailyDate } from './checks/checkDailyCoverage.js';
import { checkInvoiceSequence, type InvoiceNumber, type RollRange, type VoidedNumber } from './checks/checkInvoiceSequence.js';
import { checkPositions } from './checks/checkPositions.js';
import { checkRecordIntegrity, type RecordIntegrity } from './checks/checkRecordIntegrity.js';
import { checkDailyAgainstInvoices, checkDeclarationsAgainstDaily, checkInvoiceAmounts, type DatedSale, type DatedTotals } from './checks/checkSalesTotals.js';

export interface CollectProgress {
  readonly kind: string;
  readonly records: number;
  /** Sum of the counts the device announced for the sections that announce one; undefined when none does. */
  readonly expectedTotal?: number;
}

export interface CollectOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CollectProgress) => void;
  readonly now?: () => Date;
  /** Told the new backup's id before any record is read (so long before its commit): the job checkpoints it. */
  readonly onBegin?: (backupId: string) => void;
}

/** What the checks gather while the records stream past. */
class CheckInputs {
  readonly invoices: InvoiceNumber[] = [];
  readonly rolls: RollRange[] = [];
  readonly voided: VoidedNumber[] = [];
  readonly daily: DailyDate[] = [];
  readonly integrity = new Map<string, RecordIntegrity[]>();
  readonly sales: DatedSale[] = [];
  readonly dailyTotals: DatedTotals[] = [];
  readonly declarationTotals: DatedTotals[] = [];
  readonly positions = new Map<string, number[]>();
}

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new GatewayError('CANCELLED');
}

/**
 * Reads everything the port offers into a new backup, runs the completeness checks over what was
 * read, and commits the backup with every problem named in its manifest. A section that cannot be
 * read ends the backup (nothing is committed) unless it is optional; cancellation likewise leaves
 * nothing behind.
 */
export async function collectBackup(port: BackupPort, store: BackupStore, options: CollectOptions = {}): Promise<CommittedBackup> {
  const signal = options.signal ?? new AbortController().signal;
  cancelled(signal);
  const holdings = await port.holdings(signal).catch((cause: unknown) => {
    throw readFailed('status', cause);
  });
  const writer = await store.begin({ device: port.device, now: options.now });
  try {
    options.onBegin?.(writer.id);
  } catch (error) {
    await writer.abort();
    throw error;
  }
  writer.addProblems(holdings.problems ?? []);
  writer.addSkipped(holdings.skipped ?? []);
  const inputs = new CheckInputs();
  let records = 0;
  try {
    const sections = port.sections();
    // The sections that announce a count hold the bulk of a backup; the others (clock, tax items, card files) are a few records.
    const announced = sections.filter((s) => s.expected !== undefined);
    const expectedTotal = announced.length === 0 ? undefined : announced.reduce((sum, s) => sum + (s.expected ?? 0), 0);
    const ahead = new ChunksAhead(sections, signal);
    try {
      for (const section of sections) {
        cancelled(signal);
        if (section.expected !== undefined) await writer.setExpected(section.kind, section.expected);
        try {
          records = await readSection(section, ahead, writer, inputs, signal, records, (count) => options.onProgress?.({ kind: section.kind, records: count, expectedTotal }));
        } catch (cause) {
          if (signal.aborted || isGatewayError(cause, 'CANCELLED')) throw new GatewayError('CANCELLED', { cause });
          // Optional means the thing may be absent (a user card not in its slot), not that the link may die:
          // a register that stopped answering ends the backup rather than leaving a copy with holes.
          if (!section.optional || (isGatewayError(cause) && isLinkFailure(cause))) throw readFailed(section.kind, cause);
          await ahead.skip(section);
          writer.addProblems([{ check: 'read', kind: section.kind, message: `could not read ${section.kind}: ${(cause as Error).message}`, data: isGatewayError(cause) ? { code: cause.code } : {} }]);
        }
        writer.finishKind(section.kind);
        writer.addProblems(checkCount(section.kind, section.expected, writer.recordsOf(section.kind)));
      }
    } finally {
      await ahead.stop();
    }
    writer.addProblems(runChecks(inputs, holdings));
    cancelled(signal);
    return await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

function readFailed(what: string, cause: unknown): GatewayError {
  if (isGatewayError(cause, 'CANCELLED')) return cause;
  const detail = isGatewayError(cause) ? `${cause.code}: ${cause.message}` : (cause as Error).message;
  return new GatewayError('BACKUP_READ_FAILED', { params: { what, detail }, cause });
}

type AheadEvent = { readonly section: BackupSection } & ({ readonly chunk: SourceChunk } | { readonly end: true } | { readonly error: unknown });

/**
 * The sections' chunks read in order by a task of their own, up to AHEAD chunks before the writer
 * takes them: the link goes on to the next page, and from a section's last page to the next
 * section, while the backup decodes, hashes and writes what came before. A section that fails ends
 * the reading unless it is optional (the writer names it as a problem and goes on). Each chunk and
 * each failure is handed over once, in the order read.
 */
class ChunksAhead {
  private static readonly AHEAD = 2;
  private readonly queue: AheadEvent[] = [];
  private wakeReader: (() => void) | undefined;
  private wakeWriter: (() => void) | undefined;
  private stopped = false;
  private finished = false;
  private readonly reading: Promise<void>;

  constructor(sections: readonly BackupSection[], signal: AbortSignal) {
    this.reading = this.readAll(sections, signal);
  }

  /** The next event, which must belong to `section` (sections are taken in the order given). */
  async next(section: BackupSection): Promise<AheadEvent> {
    const event = await this.peek();
    if (event?.section !== section) {
      throw new GatewayError('INTERNAL', { params: { detail: `backup section ${section.kind}: ${event === undefined ? 'nothing more read' : `${event.section.kind} read instead`}` } });
    }
    this.queue.shift();
    this.wakeReader?.();
    return event;
  }

  /** Drops what is left of `section` (an optional one the writer gave up on half way). */
  async skip(section: BackupSection): Promise<void> {
    for (;;) {
      const event = await this.peek();
      if (event?.section !== section) return;
      this.queue.shift();
      this.wakeReader?.();
      if (!('chunk' in event)) return;
    }
  }

  /** Stops reading ahead; resolves once the read in flight, if any, has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeReader?.();
    await this.reading;
  }

  /** The next event once there is one; undefined when the reading has ended and nothing is left. */
  private async peek(): Promise<AheadEvent | undefined> {
    while (this.queue.length === 0) {
      if (this.finished) return undefined;
      await new Promise<void>((wake) => (this.wakeWriter = wake));
    }
    return this.queue[0];
  }

  private async readAll(sections: readonly BackupSection[], signal: AbortSignal): Promise<void> {
    try {
      await this.readEach(sections, signal);
    } finally {
      this.finished = true;
      this.wakeWriter?.();
    }
  }

  private async readEach(sections: readonly BackupSection[], signal: AbortSignal): Promise<void> {
    for (const section of sections) {
      if (this.stopped) return;
      try {
        for await (const chunk of section.read(signal)) {
          await this.hand({ section, chunk });
          if (this.stopped) return;
        }
        await this.hand({ section, end: true });
      } catch (error) {
        await this.hand({ section, error });
        if (!section.optional || signal.aborted) return;
      }
    }
  }

  private async hand(event: AheadEvent): Promise<void> {
    this.queue.push(event);
    this.wakeWriter?.();
    while (this.queue.length >= ChunksAhead.AHEAD && !this.stopped) await new Promise<void>((wake) => (this.wakeReader = wake));
  }
}

async function readSection(
  section: BackupSection, ahead: ChunksAhead, writer: BackupWriter, inputs: CheckInputs, signal: AbortSignal,
  recordsSoFar: number, progress: (records: number) => void,
): Promise<number> {
  let records = recordsSoFar;
  for (;;) {
    const event = await ahead.next(section);
    if ('end' in event) break;
    if ('error' in event) throw event.error;
    const { chunk } = event;
    cancelled(signal);
    const raw = await writer.appendRaw(section.kind, chunk.raw);
    if (chunk.decodeError !== undefined) {
      writer.addProblems([{ check: 'decode', kind: section.kind, message: `raw chunk ${raw} could not be decoded: ${chunk.decodeError}`, data: { rawChunk: raw } }]);
    }
    let sinceTurn = 0;
    for (const { record, facts } of chunk.records) {
      const seq = await writer.appendRecord(section.kind, record, { raw, date: facts?.date, number: facts?.number });
      if (facts !== undefined) gatherFacts(section.kind, seq, facts, inputs);
      records++;
      if (++sinceTurn === RECORDS_PER_TURN) {
        sinceTurn = 0;
        await nextTurn();
      }
    }
    progress(records);
  }
  return records;
}

/**
 * Records written between two turns of the event loop. The register's port reads the next page ahead
 * (readAhead) while this one is written; the appends resolve without I/O most of the time, so without
 * a turn the serial bytes and the NPs that keep a window open (SPEC.md §10) would wait for a whole page.
 */
const RECORDS_PER_TURN = 64;

const nextTurn = () => new Promise<void>((resolveTurn) => setImmediate(resolveTurn));

function gatherFacts(kind: string, seq: number, facts: RecordFacts, inputs: CheckInputs): void {
  if (facts.invoice !== undefined) {
    inputs.invoices.push({ seq, code: facts.invoice.code, number: facts.invoice.number });
    if (facts.invoice.voided) inputs.voided.push({ code: facts.invoice.code, number: facts.invoice.number });
  }
  if (facts.roll !== undefined) inputs.rolls.push(facts.roll);
  if (facts.position !== undefined) {
    let list = inputs.positions.get(kind);
    if (list === undefined) inputs.positions.set(kind, (list = []));
    list.push(facts.position);
  }
  if (facts.voidedBlank !== undefined) inputs.voided.push(facts.voidedBlank);
  if (kind === 'daily' && facts.date !== undefined) inputs.daily.push({ seq, date: facts.date });
  if (facts.integrity !== undefined) {
    let list = inputs.integrity.get(kind);
    if (list === undefined) inputs.integrity.set(kind, (list = []));
    list.push({ seq, ...facts.integrity });
  }
  if (facts.sale !== undefined && facts.date !== undefined) inputs.sales.push({ seq, date: facts.date, sale: facts.sale });
  if (facts.totals !== undefined) (kind === 'daily' ? inputs.dailyTotals : inputs.declarationTotals).push({ seq, totals: facts.totals });
}

function runChecks(inputs: CheckInputs, holdings: RegisterHoldings): BackupProblem[] {
  const problems: BackupProblem[] = [];
  if (inputs.rolls.length > 0 || inputs.invoices.length > 0) problems.push(...checkInvoiceSequence(inputs.rolls, inputs.invoices, inputs.voided));
  if (holdings.initializedOn !== undefined && holdings.lastDailyDate !== undefined) {
    problems.push(...checkDailyCoverage(inputs.daily, holdings.initializedOn, holdings.lastDailyDate));
  }
  for (const [kind, list] of inputs.integrity) problems.push(...checkRecordIntegrity(kind, list));
  for (const [kind, list] of inputs.positions) problems.push(...checkPositions(kind, list));
  problems.push(...checkInvoiceAmounts(inputs.sales));
  if (inputs.dailyTotals.length > 0) problems.push(...checkDailyAgainstInvoices(inputs.dailyTotals, inputs.sales));
  if (inputs.declarationTotals.length > 0) problems.push(...checkDeclarationsAgainstDaily(inputs.declarationTotals, inputs.dailyTotals));
  return problems;
}
