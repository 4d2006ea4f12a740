import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { DateRange } from '../../../protocols/gb-link/index.js';
import type { AnswerProgress } from './exchange.js';

export interface PageOptions {
  /** Most records (or days, for daily records) per request; fewer when the register's max message holds fewer. */
  pageSize?: number;
  /** `done` of `total` units (records; days for daily records). `total` is undefined until known. */
  onProgress?: (done: number, total: number | undefined) => void;
  /** Checked between pages and packets' progress; aborting throws CANCELLED. */
  signal?: AbortSignal;
}

/** A read cut into pages by units (records, invoice numbers, days). */
export interface PagePlan<P> {
  /** Units to read in all. */
  readonly units: number;
  /** What progress reports as the total; undefined when only the answer can tell (43 by time). */
  readonly total: number | undefined;
  /** Units per request to start with. */
  readonly initialSize: number;
  /** The request for units `[offset, offset + size)`, the last one cut at `units`. */
  pageAt(offset: number, size: number): P;
}

interface PageReading<R> {
  /** Bytes of one record, to follow progress by the packets of a page. */
  readonly recordSize: number;
  /** Records in one answer. */
  readonly recordsIn: (answer: R) => number;
  /** Told when the register refused a page as too long (ER 22) and the pages shrink. */
  readonly onShrink?: (size: number, refused: number) => void;
  /** Stop after the first answer with fewer records than asked (a by-position read to the end of memory, SPEC.md §5.7). */
  readonly untilShort?: boolean;
}

/**
 * Reads a big range as a sequence of requests, yielding each page's answer once it is whole. A page
 * that fails is retried by the session as any read; answers are never yielded twice. A page the
 * register refuses as too long (ER 22 → LINK_BAD_LENGTH, SPEC.md §6) is never asked again: the page
 * is halved and the read goes on from the same place with the smaller size, down to one unit.
 */
export async function* pagedRead<P, R>(
  plan: PagePlan<P>,
  fetch: (page: P, onAnswer: AnswerProgress) => Promise<R>,
  options: PageOptions & PageReading<R>,
): AsyncGenerator<R> {
  let done = 0;
  let size = Math.max(1, Math.floor(plan.initialSize));
  for (let offset = 0; offset < plan.units;) {
    if (options.signal?.aborted) throw new GatewayError('CANCELLED');
    const units = Math.min(size, plan.units - offset);
    const page = plan.pageAt(offset, units);
    const byRecords = plan.total === undefined || units > 0;
    let answer: R;
    try {
      answer = await fetch(page, (bytes, head) => {
        if (options.onProgress === undefined || !byRecords) return;
        const inPage = Math.max(0, Math.floor((bytes - 4) / options.recordSize));
        const announced = head.length >= 4 ? new DataView(head.buffer, head.byteOffset, 4).getUint32(0) : undefined;
        options.onProgress(done + inPage, plan.total ?? announced);
      });
    } catch (error) {
      if (!isGatewayError(error, 'LINK_BAD_LENGTH') || units <= 1) throw error;
      size = Math.floor(units / 2);
      options.onShrink?.(size, units);
      continue;
    }
    offset += units;
    done += plan.total === undefined ? options.recordsIn(answer) : units;
    options.onProgress?.(done, plan.total ?? done);
    yield answer;
    if (options.untilShort === true && options.recordsIn(answer) < units) return;
  }
}

/** Records (3F, 3E, 32, 3C, 73) and days (44) per request of a bulk read whose caller names no size. */
export interface BulkPageSizes {
  readonly records: number;
  readonly days: number;
}

/**
 * The page sizes of a bulk read (a backup) when none is asked for. Every request costs the register's
 * turnaround and, windowed, a round trip before its last packet (SPEC.md §10.5) while the line idles,
 * so a register that lists 74 is asked for pages four times as large: 1024 records and 366 days,
 * instead of 256 and 62. Either is still cut to what the register's max message (70) holds, and halved
 * after its ER 22 (`pagedRead`).
 */
export function bulkPageSizes(windowed: boolean): BulkPageSizes {
  return windowed ? { records: 1024, days: 366 } : { records: 256, days: 62 };
}

const dayMs = 86_400_000;
const toMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Days in an inclusive date range (0 when it ends before it starts). */
export function daysBetween(range: DateRange): number {
  return Math.max(0, Math.round((toMs(range.to) - toMs(range.from)) / dayMs) + 1);
}

/** Days `[offset, offset + days)` of an inclusive date range, cut at its end. */
export function dateWindowAt(range: DateRange, offset: number, days: number): DateRange {
  const from = toMs(range.from) + offset * dayMs;
  const to = Math.min(toMs(range.to), from + (Math.max(1, Math.floor(days)) - 1) * dayMs);
  return { from: toDate(from), to: toDate(to) };
}

/** Splits an inclusive date range into windows of at most `days` days. */
export function dateWindows(range: DateRange, days: number): { range: DateRange; days: number }[] {
  const step = Math.max(1, Math.floor(days));
  const windows: { range: DateRange; days: number }[] = [];
  const total = daysBetween(range);
  for (let offset = 0; offset < total; offset += step) {
    windows.push({ range: dateWindowAt(range, offset, step), days: Math.min(step, total - offset) });
  }
  return windows;
}
