import { GatewayError } from '../../../contracts/errors/index.js';
import { atrNamesUpgradeCard } from '../../../protocols/gb18240-card/cardCapabilities.js';
import type { PcscSource } from '../../devices/readers/PcscCardReaders.js';
import type { UpgradeCardReader, UpgradeCardReaders } from '../../services/upgrade/UpgradeCardReaders.js';

/**
 * The IC-card path's readers over the PC/SC driver (pcscd, or the simulated readers of `--simulate`): the reader is
 * the one asked for, else the one holding a card whose ATR names an upgrade card, else the only empty one. The card
 * is connected exclusively while it is written and read back, so no other program writes it meanwhile.
 */
export function upgradeCardReaders(pcsc: () => Promise<PcscSource | undefined>): UpgradeCardReaders {
  return {
    async pick(requested) {
      const source = await pcsc();
      if (source === undefined) throw new GatewayError('UPGRADE_CARD_READER_NONE', { params: { detail: 'PC/SC (pcscd) is not available' } });
      const readers = source.list();
      const atrOf = (hex: string | undefined) => new Uint8Array(Buffer.from(hex ?? '', 'hex'));
      const chosen = requested !== undefined
        ? readers.find((r) => r.name === requested)
        : readers.find((r) => r.card === 'present' && atrNamesUpgradeCard(atrOf(r.atrHex)))
          ?? (readers.filter((r) => r.card === 'absent').length === 1 ? readers.find((r) => r.card === 'absent') : undefined);
      if (chosen === undefined) {
        const listed = readers.map((r) => `${r.name} (${r.card})`).join(', ') || 'no reader';
        throw new GatewayError('UPGRADE_CARD_READER_NONE', {
          params: { detail: requested !== undefined ? `reader "${requested}" is not there; readers: ${listed}` : `no reader holds an upgrade card and no single one is empty; readers: ${listed}` },
        });
      }
      return readerOver(source, chosen.name);
    },
  };
}

function readerOver(source: PcscSource, name: string): UpgradeCardReader {
  return {
    name,
    hasCard: () => source.list().find((r) => r.name === name)?.card === 'present',
    async withCard(work) {
      const card = await source.connect(name, { mode: 'exclusive' });
      try {
        return await work(card, card.atr);
      } finally {
        await card.disconnect('leave').catch(() => undefined);
      }
    },
  };
}
