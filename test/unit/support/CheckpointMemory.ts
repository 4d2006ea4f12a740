import {
  asPendingInitialization, pendingInitializationSchema, type PendingInitialization, type PendingInitializations,
} from '../../../src/services/initialize/PendingInitializations.js';

/**
 * What the job store is to the daemon, for tests: the latest initialization checkpoint per fiscal card, as runs
 * write them (RecordingReporter.checkpoint), read back by the next dry run; `put` lets a test change one.
 */
export class CheckpointMemory implements PendingInitializations {
  private readonly entries = new Map<string, PendingInitialization>();

  async get(fiscalCardNumber: string): Promise<PendingInitialization | undefined> {
    const entry = this.entries.get(fiscalCardNumber);
    return entry === undefined || entry.stage === 'closed' ? undefined : { ...entry };
  }

  async put(entry: PendingInitialization): Promise<void> {
    this.entries.set(entry.fiscalCardNumber, pendingInitializationSchema.parse(entry));
  }

  /** A run's checkpoint, as the job runner would store it. */
  record(checkpoint: unknown): void {
    const entry = asPendingInitialization(checkpoint);
    if (entry !== undefined) this.entries.set(entry.fiscalCardNumber, entry);
  }

  /** The last checkpoint of a card, `closed` included. */
  last(fiscalCardNumber: string): PendingInitialization | undefined {
    return this.entries.get(fiscalCardNumber);
  }
}
