import { asPendingInitialization, type PendingInitializations } from '../services/initialize/PendingInitializations.js';
import type { JobRow } from '../store/types.js';

/**
 * The gateway's memory of unfinished initializations, from the job store: for a fiscal card, the checkpoint
 * of the newest initialization job that wrote one for it (none once that one is `closed`). This replaces the
 * JSON files the initialization kept beside the store.
 */
export function initializationMemory(jobs: { checkpointed(kind: string): readonly JobRow[] }, kind = 'initialize'): PendingInitializations {
  return {
    async get(fiscalCardNumber) {
      for (const row of jobs.checkpointed(kind)) {
        const entry = asPendingInitialization(row.checkpoint);
        if (entry?.fiscalCardNumber !== fiscalCardNumber) continue;
        return entry.stage === 'closed' ? undefined : entry;
      }
      return undefined;
    },
  };
}
