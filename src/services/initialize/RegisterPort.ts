import type { CardChannel } from '../../../contracts/CardChannel.js';
import type {
  CardSlot, FactoryData, InitializationData, LinkDateTime, RegisterStatus, TaxItem, UserInfo,
} from '../../../protocols/gb-link/index.js';

/**
 * The GB-link commands initialization needs of a register (a RegisterSession satisfies it as is).
 * Reads: 37 factory data, 38 user info, 39 tax items, 3A date-time, 41 status; the one write: 30.
 * `cardChannel` reaches the cards in the register's slots through 59/5B.
 */
export interface RegisterPort {
  factoryData(): Promise<FactoryData>;
  userInfo(): Promise<UserInfo>;
  taxItems(): Promise<TaxItem[]>;
  dateTime(): Promise<LinkDateTime>;
  status(): Promise<RegisterStatus>;
  initialize(data: InitializationData): Promise<void>;
  cardChannel(slot: CardSlot): CardChannel;
}

/** Where each card of the initialization is: a PC/SC reader (or any channel) instead of the register's slot. */
export interface InitializationCards {
  readonly fiscal: CardChannel;
  readonly user: CardChannel;
}

/** The register and the two cards one initialization works on. */
export interface InitializationTarget {
  readonly deviceId: string;
  readonly register: RegisterPort;
  readonly cards: InitializationCards;
}

/** Cards in the register's own slots unless a channel is given for one. */
export function targetOf(deviceId: string, register: RegisterPort, cards: Partial<InitializationCards> = {}): InitializationTarget {
  return {
    deviceId,
    register,
    cards: { fiscal: cards.fiscal ?? register.cardChannel('fiscal'), user: cards.user ?? register.cardChannel('user') },
  };
}
