import type { DevicePort } from '../../devices/DevicePort.js';
import type { CardReaders } from '../../devices/readers/CardReaders.js';
import { targetOf, type InitializationTarget } from './RegisterPort.js';

/** Where the cards of one initialization are, by reader name; absent: the register's own slots. */
export interface CardReaderNames {
  readonly fiscalReader?: string;
  readonly userReader?: string;
}

/** The PC/SC readers an initialization may take a card from: the reader port's part for it. */
export type PcscChannels = Pick<CardReaders, 'withPcscChannels'>;

/**
 * Lends a register (through the DevicePort, waiting as `signal` allows) and the PC/SC readers named to one
 * dry run or run as an InitializationTarget, and gives everything back whatever happens.
 */
export function withInitializationTarget<T>(
  devices: DevicePort, readers: PcscChannels, deviceId: string, names: CardReaderNames, signal: AbortSignal,
  work: (target: InitializationTarget) => Promise<T>,
): Promise<T> {
  const channels = {
    ...(names.fiscalReader === undefined ? {} : { fiscal: names.fiscalReader }),
    ...(names.userReader === undefined ? {} : { user: names.userReader }),
  };
  return readers.withPcscChannels(deviceId, channels, (opened) =>
    devices.withDevice(deviceId, signal, (device) => work(targetOf(deviceId, device.session, opened))));
}
