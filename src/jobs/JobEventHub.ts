import type { JobStore } from '../store/JobStore.js';
import type { JobEvent, JobEventType } from '../store/types.js';

export type JobEventListener = (event: JobEvent) => void;

/** Numbers, stores and fans out the events of every job, so subscribers can join late and resume. */
export class JobEventHub {
  private readonly listeners = new Map<string, Set<JobEventListener>>();
  private readonly sequences = new Map<string, number>();

  constructor(private readonly store: JobStore) {}

  emit(jobId: string, type: JobEventType, data: Record<string, unknown>, at = new Date()): JobEvent {
    const seq = (this.sequences.get(jobId) ?? this.store.lastEventSeq(jobId)) + 1;
    this.sequences.set(jobId, seq);
    const event: JobEvent = { jobId, seq, type, data, at: at.toISOString() };
    this.store.appendEvent(event);
    for (const listener of [...(this.listeners.get(jobId) ?? [])]) listener(event);
    if (type === 'end') {
      this.sequences.delete(jobId);
      this.listeners.delete(jobId);
    }
    return event;
  }

  /**
   * Delivers every stored event after `afterSeq`, then the live ones. Reading the backlog and adding the
   * listener happen in the same tick, so no event falls between them.
   */
  subscribe(jobId: string, afterSeq: number, listener: JobEventListener): () => void {
    const backlog = this.store.eventsAfter(jobId, afterSeq);
    for (const event of backlog) listener(event);
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
