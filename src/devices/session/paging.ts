import { GatewayError } from '../../../contracts/errors/index.js';
import type { DateRange, RecordListCodec } from '../../../protocols/gb-link/index.js';
import type { AnswerProgress } from './exchange.js';

export interface PageOptions {
  /** Records (or days, for daily records) per request. */
  pageSize?: number;
  /** `done` of `total` units (records; days for daily records). `total` is undefined until known. */
  onProgress?: (done: number, total: number | undefined) => void;
  /** Checked between pages and packets' progress; aborting throws CANCELLED. */
  signal?: AbortSignal;
}

interface PagePlan<P> {
  /** Units of all pages together; undefined when only the answer can tell (43 by time). */
  total: number | undefined;
  /** Units one page stands for, counted when it is done. */
  units: (page: P, index: number) => number;
}

/**
 * Reads a big range as a sequence of requests, yielding each page's records once the page is
 * whole. A page that fails is retried by the session as any read; records are never yielded
 * twice. Within a page whose units are records, progress follows the packets as they arrive.
 */
export async function* pagedRead<P, T>(
  pages: readonly P[],
  fetch: (page: P, onAnswer: AnswerProgress) => Promise<T[]>,
  codec: RecordListCodec<T>,
  options: PageOptions & PagePlan<P>,
): AsyncGenerator<T[]> {
  let done = 0;
  for (const [index, page] of pages.entries()) {
    if (options.signal?.aborted) throw new GatewayError('CANCELLED');
    const byRecords = options.total === undefined || options.units(page, index) > 0;
    const records = await fetch(page, (bytes, head) => {
      if (options.onProgress === undefined || !byRecords) return;
      const inPage = Math.max(0, Math.floor((bytes - 4) / codec.recordSize));
      const announced = head.length >= 4 ? new DataView(head.buffer, head.byteOffset, 4).getUint32(0) : undefined;
      options.onProgress(done + inPage, options.total ?? announced);
    });
    done += options.total === undefined ? records.length : options.units(page, index);
    options.onProgress?.(done, options.total ?? done);
    yield records;
  }
}

const dayMs = 86_400_000;
const toMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Splits an inclusive date range into windows of at most `days` days. */
export function dateWindows(range: DateRange, days: number): { range: DateRange; days: number }[] {
  const step = Math.max(1, Math.floor(days));
  const windows: { range: DateRange; days: number }[] = [];
  const last = toMs(range.to);
  for (let from = toMs(range.from); from <= last; from += step * dayMs) {
    const to = Math.min(last, from + (step - 1) * dayMs);
    windows.push({ range: { from: toDate(from), to: toDate(to) }, days: Math.round((to - from) / dayMs) + 1 });
  }
  return windows;
}
