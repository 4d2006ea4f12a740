import type { FactoryData, RecordCounts, RegisterStatus, UserInfo } from '../../../protocols/gb-link/index.js';

export type FinalCounters = Omit<RecordCounts, 'rollSummaries' | 'initializations'> & {
  readonly rollSummaries: number | null;
  readonly initializations: number | null;
};

/** What the register and its fiscal card hold when it is retired: the facts the tax office's form asks for. */
export interface FinalState {
  readonly readAt: string;
  readonly register: Pick<FactoryData, 'machineNumber' | 'model' | 'firmwareVersion'>;
  readonly taxpayer: Pick<UserInfo, 'taxpayerNumber' | 'taxpayerId' | 'taxpayerName' | 'officeCode' | 'initializationDate'>;
  readonly fiscalCardNumber: string;
  readonly status: Pick<RegisterStatus,
    'fiscalMode' | 'locks' | 'awaitingControlUpdate' | 'issueDeadline' | 'lastDeclarationEnd' | 'lastSignedDay' | 'currentRoll' | 'fiscalSlot' | 'userSlot'>;
  /**
   * 72's counts; on a register without 72 (public firmware) status 41's, with null for the roll summaries and
   * initializations it does not count (GB link SPEC.md §5.0).
   */
  readonly counters: FinalCounters;
  readonly lastDeclaration: { readonly seq: number; readonly type: string; readonly start: string; readonly end: string; readonly declaredAt: string;
    readonly validTotal: number; readonly returnTotal: number } | null;
  readonly lastInvoice: { readonly invoiceCode: string; readonly number: number; readonly issuedAt: string } | null;
  /** The fiscal card in the slot, read without a PIN: the tries are asked without spending one. */
  readonly fiscalCard: { readonly present: true; readonly cardNumber: string; /** null: uncertain (gb18240-card SPEC.md §3.2). */ readonly registered: boolean | null; readonly pinTriesLeft: number | null;
    readonly mountedRolls: number } | { readonly present: false; readonly reason: string; readonly reasonZh?: string };
}
