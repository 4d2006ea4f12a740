import { z } from 'zod';
import type { CardChannel } from '../../../contracts/CardChannel.js';

/** One place a card can be: a PC/SC reader on this PC, or a slot of a register (`<device>/fiscal`, `<device>/user`). */
export const readerEntrySchema = z.object({
  name: z.string(),
  kind: z.enum(['pcsc', 'register-slot']),
  /** The register, for a slot. */
  deviceId: z.string().optional(),
  slot: z.enum(['fiscal', 'user']).optional(),
  /** `unknown` when the register is busy with a job or the reader cannot tell. */
  card: z.enum(['present', 'absent', 'mute', 'unknown']),
  atr: z.string().optional(),
  /** A job holds the register: its slots are not read now. */
  busyWithJob: z.string().optional(),
});
export type ReaderEntry = z.infer<typeof readerEntrySchema>;

/**
 * The reader port: the daemon's view of every card reader, PC/SC and register slot alike: what is there, and a
 * CardChannel to the card in one of them for as long as `work` runs (a slot borrows its register through the
 * DevicePort). PC/SC readers are reached only through it, also for an initialization.
 */
export interface CardReaders {
  list(): Promise<ReaderEntry[]>;
  withChannel<T>(reader: string, work: (channel: CardChannel) => Promise<T>): Promise<T>;
  /**
   * The PC/SC channels named for an initialization of `deviceId`, opened for the length of `work`; a name that
   * is one of that register's own slots (or none) leaves that card to the slot.
   */
  withPcscChannels<T>(
    deviceId: string, names: { fiscal?: string; user?: string }, work: (channels: { fiscal?: CardChannel; user?: CardChannel }) => Promise<T>,
  ): Promise<T>;
}

/** `<device>/fiscal` or `<device>/user`: a register slot's reader name. */
export function parseSlotReader(name: string): { deviceId: string; slot: 'fiscal' | 'user' } | undefined {
  const match = /^(.+)\/(fiscal|user)$/.exec(name);
  return match === null ? undefined : { deviceId: match[1]!, slot: match[2] as 'fiscal' | 'user' };
}
