import type { CardChannel } from '../../../contracts/CardChannel.js';
import type { InitializationTarget, RegisterPort } from './RegisterPort.js';
import { targetOf } from './RegisterPort.js';

/** Where the cards of one initialization are, by reader name; absent: the register's own slots. */
export interface CardReaderNames {
  readonly fiscalReader?: string;
  readonly userReader?: string;
}

/**
 * Lends a register (and the PC/SC readers named) to one dry run or run: borrows the device's session,
 * opens the readers, builds the target, and gives everything back whatever happens. The daemon builds
 * it over its device registry and reader directory; tests give their own.
 */
export interface InitializationAccess {
  withTarget<T>(deviceId: string, readers: CardReaderNames, work: (target: InitializationTarget) => Promise<T>): Promise<T>;
}

/** What the daemon's pieces offer: a register's session for a while, and PC/SC channels for a while. */
export interface InitializationAccessParts<S extends RegisterPort> {
  withSession<T>(deviceId: string, work: (session: S) => Promise<T>): Promise<T>;
  withPcscChannels<T>(deviceId: string, names: { fiscal?: string; user?: string }, work: (channels: { fiscal?: CardChannel; user?: CardChannel }) => Promise<T>): Promise<T>;
}

export function initializationAccess<S extends RegisterPort>(parts: InitializationAccessParts<S>): InitializationAccess {
  return {
    withTarget(deviceId, readers, work) {
      const names = {
        ...(readers.fiscalReader === undefined ? {} : { fiscal: readers.fiscalReader }),
        ...(readers.userReader === undefined ? {} : { user: readers.userReader }),
      };
      return parts.withPcscChannels(deviceId, names, (channels) =>
        parts.withSession(deviceId, (session) => work(targetOf(deviceId, session, channels))));
    },
  };
}
