import type { GatewayError } from '../../../contracts/errors/index.js';
import type { FactoryData, RegisterStatus, UserInfo } from '../../../protocols/gb-link/index.js';
import type { FiscalBasicData, FiscalMonitoringData } from '../../../protocols/gb18240-card/fiscalFiles.js';
import type { PinTries } from '../../../protocols/gb18240-card/pinTries.js';
import type { TaxItem, UserBasicData, UserControlRecord, UserMachineRecord } from '../../../protocols/gb18240-card/userFiles.js';
import type { FiscalRegistration, IdentifiedCard } from '../../devices/CardSession.js';
import type { PendingInitialization } from './PendingInitializations.js';

/** One card as the checks see it: where it is, what it turned out to be, or why it could not be read. */
export type CardFacts<T> =
  | { readonly where: string; readonly read: true; readonly kind: IdentifiedCard; readonly data?: T }
  | { readonly where: string; readonly read: false; readonly error: GatewayError };

export interface FiscalCardFacts {
  readonly basic: FiscalBasicData;
  readonly monitoring: FiscalMonitoringData;
  /** Registered, not registered or uncertain: the EF02 flag cross-checked with the card's other signs (gb18240-card SPEC.md §3.2). */
  readonly registration: FiscalRegistration;
  /** Only asked of a registered card (ISO VERIFY without data: no try is spent); unknown when the card does not tell. */
  readonly pinTries?: PinTries;
}

export interface UserCardFacts {
  readonly basic: UserBasicData;
  readonly taxItems: readonly TaxItem[];
  readonly controls: readonly UserControlRecord[];
  readonly machines: readonly UserMachineRecord[];
}

/**
 * Everything the dry run read, without changing anything: the two cards, the register (37, 41,
 * 38 when initialized, 3A), the host's time in the register's zone, and what this gateway remembers
 * of an interrupted initialization of this fiscal card.
 */
export interface InitializationFacts {
  readonly deviceId: string;
  readonly fiscal: CardFacts<FiscalCardFacts>;
  readonly user: CardFacts<UserCardFacts>;
  readonly factory: FactoryData;
  readonly status: RegisterStatus;
  /** 38, read only when 41 says initialized. */
  readonly userInfo?: UserInfo;
  /** 3A, register-local `YYYY-MM-DDTHH:mm:ss`. */
  readonly registerTime: string;
  /** The host's time in the register's zone, same format. */
  readonly hostTime: string;
  /** Register clock minus host clock, seconds. */
  readonly clockOffsetSeconds: number;
  /** The host's date in the register's zone: "today" for the date checks. */
  readonly today: string;
  readonly pending?: PendingInitialization;
}
