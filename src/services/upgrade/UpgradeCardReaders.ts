import type { CardChannel } from '../../../contracts/CardChannel.js';

/** One reader as the IC-card path of an upgrade uses it (the wiring implements it over drivers/pcsc). */
export interface UpgradeCardReader {
  readonly name: string;
  /** A card is in the reader now (as the reader last said). */
  hasCard(): boolean;
  /**
   * Connects to the card in the reader for the length of `work` (exclusive: nobody else writes it meanwhile), then
   * lets it go. `atr` is the card's answer to reset. Errors are the driver's typed ones (CARD_REMOVED, READER_GONE…).
   */
  withCard<T>(work: (channel: CardChannel, atr: Uint8Array) => Promise<T>): Promise<T>;
}

/** The readers the IC-card path may write upgrade cards in. */
export interface UpgradeCardReaders {
  /**
   * The reader to use: `requested` by name, else the one holding a card whose ATR names an upgrade card, else the
   * only empty one. UPGRADE_CARD_READER_NONE when there is none to choose (no PC/SC, no reader, or no clear choice).
   */
  pick(requested?: string): Promise<UpgradeCardReader>;
}
