import { GatewayError } from '../../../contracts/errors/index.js';

/** Seconds a client told "too many" is asked to wait before it tries again. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The cap on job event streams (SSE) open at once: each holds a connection, a subscription and a heartbeat
 * timer for as long as the client keeps it, so a page left open in many tabs, or a client in a loop, could
 * otherwise hold them without bound. One over the cap is refused 503 TOO_MANY_EVENT_STREAMS with Retry-After.
 */
export class EventStreamGate {
  private count = 0;

  constructor(readonly max: number) {}

  get open(): number {
    return this.count;
  }

  /** Takes a place or throws TOO_MANY_EVENT_STREAMS; the returned function gives it back (once). */
  enter(): () => void {
    if (this.count >= this.max) {
      throw new GatewayError('TOO_MANY_EVENT_STREAMS', { params: { limit: this.max, retryAfter: RETRY_AFTER_SECONDS } });
    }
    this.count += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.count -= 1;
    };
  }
}
