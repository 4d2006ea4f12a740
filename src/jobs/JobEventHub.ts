import type { Logger } from 'pino';
import { silentLogger } from '../log.js';
import type { JobStore } from '../store/JobStore.js';
import type { JobEvent, JobEventType } from '../store/types.js';

export type JobEventListener = (event: JobEvent) => void;

/**
 * Numbers, stores and fans out the events of every job, so subscribers can join late and resume. Storing
 * (`append`) and telling the subscribers (`publish`) are apart so that a job's end is stored in the same
 * transaction as its row and told only once that has committed; a subscriber that throws is logged and
 * never reaches the job.
 */
export class JobEventHub {
  private readonly listeners = new Map<string, Set<JobEventListener>>();
  private readonly sequences = new Map<string, number>();

  constructor(private readonly store: JobStore, private readonly logger: Logger = silentLogger) {}

  /** Stores the next event of a job (inside the caller's transaction, if any) without telling anyone yet. */
  append(jobId: string, type: JobEventType, data: Record<string, unknown>, at = new Date()): JobEvent {
    const seq = (this.sequences.get(jobId) ?? this.store.lastEventSeq(jobId)) + 1;
    const event: JobEvent = { jobId, seq, type, data, at: at.toISOString() };
    this.store.appendEvent(event);
    this.sequences.set(jobId, seq);
    return event;
  }

  /** Tells the subscribers of a stored event; after `end` the job's subscribers are let go. */
  publish(event: JobEvent): void {
    for (const listener of [...(this.listeners.get(event.jobId) ?? [])]) this.deliver(listener, event);
    if (event.type === 'end') {
      this.sequences.delete(event.jobId);
      this.listeners.delete(event.jobId);
    }
  }

  emit(jobId: string, type: JobEventType, data: Record<string, unknown>, at = new Date()): JobEvent {
    const event = this.append(jobId, type, data, at);
    this.publish(event);
    return event;
  }

  private deliver(listener: JobEventListener, event: JobEvent): void {
    try {
      listener(event);
    } catch (error) {
      this.logger.warn({ err: error, jobId: event.jobId, seq: event.seq }, 'a job event subscriber failed');
    }
  }

  /** Drops the cached sequence number of a job (after a transaction that stored its events was rolled back). */
  resync(jobId: string): void {
    this.sequences.delete(jobId);
  }

  /**
   * Delivers every stored event after `afterSeq`, then the live ones. Reading the backlog and adding the
   * listener happen in the same tick, so no event falls between them.
   */
  subscribe(jobId: string, afterSeq: number, listener: JobEventListener): () => void {
    const backlog = this.store.eventsAfter(jobId, afterSeq);
    for (const event of backlog) this.deliver(listener, event);
    if (backlog.some((event) => event.type === 'end')) return () => undefined;
    let set = this.listeners.get(jobId);
    if (!set) {
      set = new Set();
      this.listeners.set(jobId, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }
}
