import type { CardChannel } from '../../../contracts/CardChannel.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { PcscReaders } from '../../../drivers/pcsc/PcscReaders.js';
import type { ReaderEntry } from './CardReaders.js';

/** What the reader directory needs of the PC/SC driver (PcscReaders has it). */
export type PcscSource = Pick<PcscReaders, 'list' | 'connect'>;

export function pcscEntries(source: PcscSource): ReaderEntry[] {
  return source.list().map((reader) => ({
    name: reader.name, kind: 'pcsc' as const, card: reader.card, ...(reader.atrHex === undefined ? {} : { atr: reader.atrHex }),
  }));
}

/** Connects (shared mode) for the length of `work`, then lets the card go without resetting it. */
export async function withPcscChannel<T>(source: PcscSource, reader: string, work: (channel: CardChannel) => Promise<T>): Promise<T> {
  if (!source.list().some((r) => r.name === reader)) throw new GatewayError('READER_NOT_FOUND', { params: { reader } });
  const card = await source.connect(reader);
  try {
    return await work(card);
  } finally {
    await card.disconnect('leave').catch(() => undefined);
  }
}
