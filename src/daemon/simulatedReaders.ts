import { existsSync, renameSync, writeFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { PcscReaders } from '../../drivers/pcsc/PcscReaders.js';
import { createInspectionCard } from '../../fixtures/cards/cardSet.js';
import { loadVirtualCard, type AnyVirtualCard } from '../../fixtures/cards/persistence.js';
import type { VirtualCardOptions } from '../../fixtures/cards/VirtualCardBase.js';
import { VirtualCardChannel } from '../../fixtures/cards/VirtualCardChannel.js';
import { VirtualUserCard } from '../../fixtures/cards/VirtualUserCard.js';
import type { PcscSource } from '../devices/readers/PcscCardReaders.js';
import { ensureSimulatorDir, setAside, simulatedReaderCardPath } from './simulatorFiles.js';
import { VirtualPcscLibrary, type VirtualReader } from './VirtualPcscLibrary.js';

/** The names `GET /v1/readers` lists for the simulated readers, in order. */
export const SIMULATED_READER_NAMES = ['Simulated Reader 0', 'Simulated Reader 1'] as const;

export interface SimulatedReadersOptions {
  /**
   * The user card of the new simulated register: reader 0 holds a spare of it, so that the register can also be
   * initialized with its user card in a PC/SC reader (`userReader`).
   */
  readonly userCard: VirtualUserCard;
  /** Cards persist under `<dataDir>/simulator`; in memory only when absent. */
  readonly dataDir?: string;
  readonly logger: Logger;
}

export interface SimulatedReaders {
  readonly readers: readonly VirtualReader[];
  /** The PC/SC readers as the reader directory and initialization take them (`pcsc` of `initializeArea`). */
  readonly pcsc: () => Promise<PcscSource>;
  close(): Promise<void>;
}

/** Card `index` from its file, or made by `create` (persisting there from now on); an unreadable file is set aside. */
function loadOrCreate(dataDir: string | undefined, index: number, create: (options: VirtualCardOptions) => AnyVirtualCard, logger: Logger): AnyVirtualCard {
  if (dataDir === undefined) return create({});
  const path = simulatedReaderCardPath(dataDir, index);
  if (existsSync(path)) {
    try {
      return loadVirtualCard(path);
    } catch (error) {
      logger.warn({ err: error, path, setAside: setAside(path) }, 'a simulated reader card could not be read back; a new one is made');
    }
  }
  return create({ persistPath: path });
}

/** A copy of `card` as a new card object that persists to `options.persistPath` from the start. */
function spareOf(card: VirtualUserCard, options: VirtualCardOptions): VirtualUserCard {
  const snapshot = card.snapshot();
  const path = options.persistPath;
  if (path !== undefined) {
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(snapshot, null, 2), { mode: 0o600 });
    renameSync(temporary, path);
  }
  return VirtualUserCard.restore(snapshot, options);
}

/**
 * The card readers of `fiscald --simulate`: two PC/SC-style readers with virtual cards in them, served through the
 * PC/SC driver itself (`PcscReaders` over `VirtualPcscLibrary`), so they are listed, read and used for initialization
 * exactly as readers on pcscd are. Reader 0 holds a spare user card matching the new register, reader 1 an
 * inspection card (稽查卡). Their state (PIN tries, signatures) survives a restart of the daemon.
 */
export async function createSimulatedReaders(options: SimulatedReadersOptions): Promise<SimulatedReaders> {
  const { dataDir, logger } = options;
  if (dataDir !== undefined) ensureSimulatorDir(dataDir);
  const cards = [
    loadOrCreate(dataDir, 0, (cardOptions) => spareOf(options.userCard, cardOptions), logger),
    loadOrCreate(dataDir, 1, (cardOptions) => createInspectionCard({}, cardOptions), logger),
  ];
  const readers = SIMULATED_READER_NAMES.map((name, index) => ({ name, channel: new VirtualCardChannel(cards[index], name) }));
  const pcsc = await PcscReaders.open({ library: new VirtualPcscLibrary(readers), logger });
  logger.info({ readers: readers.map((reader) => ({ name: reader.name, card: reader.channel.card === undefined ? null : (reader.channel.card as AnyVirtualCard).kind })) },
    'simulated card readers ready');
  return {
    readers,
    pcsc: async () => pcsc,
    close: () => pcsc.close(),
  };
}
