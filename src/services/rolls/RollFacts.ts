import type { RegisterStatus, RollRecord, UserInfo } from '../../../protocols/gb-link/index.js';
import type { FiscalRollRecord } from '../../../protocols/gb18240-card/fiscalFiles.js';
import type { SlotUserCard } from '../common/readSlotUserCard.js';

/** What a roll distribution looks at before it changes anything. */
export interface RollFacts {
  readonly machineNumber: string;
  readonly status: RegisterStatus;
  /** 38, when the register is initialized. */
  readonly userInfo?: UserInfo;
  /** The register's most recent distributed rolls (32), oldest first. */
  readonly recentRolls: readonly RollRecord[];
  readonly userCard: SlotUserCard;
  /** Fiscal card EF05: the rolls mounted on the card. */
  readonly fiscalRolls: readonly FiscalRollRecord[];
}

export interface RollRange {
  readonly invoiceCode: string;
  readonly start: number;
  readonly end: number;
}

export function sameRoll(a: RollRange, b: RollRange): boolean {
  return a.invoiceCode === b.invoiceCode && a.start === b.start && a.end === b.end;
}

export function rollText(roll: RollRange): string {
  return `${roll.invoiceCode} ${roll.start}–${roll.end}`;
}
