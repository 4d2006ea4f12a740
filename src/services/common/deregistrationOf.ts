import type { PastRecord } from './PastRecord.js';

export interface Deregistration {
  /** When the deregistration's service record was written. */
  readonly at: string;
  readonly recordId: number;
}

/**
 * Whether this gateway deregistered the register (注销): the latest succeeded `deregister` record not
 * followed by a succeeded `initialize`. The register itself cannot tell (GB link has no deregistration
 * and it stays initialized), so the gateway's own records are what refuse later state-changing work.
 */
export function deregistrationOf(records: readonly PastRecord[]): Deregistration | undefined {
  let found: Deregistration | undefined;
  for (const record of [...records].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id)) {
    if (record.result !== 'succeeded') continue;
    if (record.action === 'deregister') found = { at: record.at, recordId: record.id };
    else if (record.action === 'initialize') found = undefined;
  }
  return found;
}
