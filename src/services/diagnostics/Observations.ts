import type { FactoryData, FirmwareTransfer, UserInfo } from '../../../protocols/gb-link/index.js';
import type { CardFacts, LinkBurst, RegisterStatusFacts, SelfCheckName, SelfCheckOutcome } from './DiagnosticsPort.js';
import type { Reading } from './Reading.js';
import type { RepairFact } from './repeatFaults.js';

/** Everything one diagnostics run read, each read on its own so one that failed leaves the others standing. */
export interface Observations {
  readonly host: Date;
  /** Register time zone setting, minutes east of UTC: the register's "today". */
  readonly utcOffsetMinutes: number;
  readonly deviceId: string;
  readonly machineNumber: string;
  readonly mode: 'application' | 'bootloader';
  readonly link: Reading<LinkBurst>;
  readonly factory: Reading<FactoryData>;
  readonly firmwareTransfer: Reading<FirmwareTransfer | null>;
  readonly selfChecks: Readonly<Record<SelfCheckName, Reading<SelfCheckOutcome>>>;
  readonly status: Reading<RegisterStatusFacts>;
  readonly userInfo: Reading<UserInfo | null>;
  readonly clock: Reading<Date>;
  readonly fiscalCard: Reading<CardFacts | null>;
  readonly userCard: Reading<CardFacts | null>;
  /** What the gateway knows beyond the register: its own records and packages. */
  readonly known: KnownFacts;
}

export interface KnownFacts {
  /** When this gateway recorded the register deregistered (and no initialization since). */
  readonly deregisteredAt?: string;
  /** The newest firmware version of a trusted package held for this model, when any. */
  readonly newestTrustedFirmware?: string;
  /** Repairs of this register recorded here (for repeat faults). */
  readonly repairs?: readonly RepairFact[];
}
