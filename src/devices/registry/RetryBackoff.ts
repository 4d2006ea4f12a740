/** Delays between reconnection attempts: doubling from `initialMs` up to `maxMs`. */
export interface RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const defaultRetryBackoff: RetryBackoff = { initialMs: 500, maxMs: 30_000 };

export function retryDelay(backoff: RetryBackoff, attempt: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 20));
}
