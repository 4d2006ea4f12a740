import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import type { ReaderInfo } from '../../../drivers/pcsc/PcscReaders.js';
import { VirtualUpgradeCard } from '../../../fixtures/cards/VirtualUpgradeCard.js';
import { upgradeCardReaders } from '../../../src/daemon/areas/upgradeCardReaders.js';
import type { PcscSource } from '../../../src/devices/readers/PcscCardReaders.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const reader = (name: string, card: ReaderInfo['card'], atr?: Uint8Array): ReaderInfo => ({ name, card, exclusive: false, connected: false, ...(atr === undefined ? {} : { atrHex: hex(atr) }) });
const source = (readers: ReaderInfo[]): PcscSource => ({ list: () => readers, connect: async () => { throw new Error('not in this test'); } });
const userAtr = Uint8Array.from([0x3b, 0x6e, 0x00, 0x00, ...Buffer.from('GB18240 TID01')]);

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (error: unknown) => error);
}

describe('choosing the reader to write upgrade cards in', () => {
  it('the one holding an upgrade card (its ATR names it), else the only empty one, else the one asked for', async () => {
    const upgrade = new VirtualUpgradeCard().atr;
    const readers = [reader('R0', 'present', userAtr), reader('R1', 'present', upgrade), reader('R2', 'absent')];
    expect((await upgradeCardReaders(async () => source(readers)).pick()).name).toBe('R1');
    expect((await upgradeCardReaders(async () => source([reader('R0', 'present', userAtr), reader('R2', 'absent')])).pick()).name).toBe('R2');
    expect((await upgradeCardReaders(async () => source(readers)).pick('R0')).name).toBe('R0');
    const chosen = await upgradeCardReaders(async () => source(readers)).pick();
    expect(chosen.hasCard()).toBe(true);
  });

  it('no PC/SC, no clear choice, or a reader that is not there: UPGRADE_CARD_READER_NONE (exit 5)', async () => {
    for (const pcsc of [
      async () => undefined,
      async () => source([reader('R0', 'absent'), reader('R1', 'absent')]),
      async () => source([reader('R0', 'present', userAtr)]),
    ]) {
      const error = await refusal(upgradeCardReaders(pcsc).pick());
      expect(isGatewayError(error, 'UPGRADE_CARD_READER_NONE')).toBe(true);
      if (isGatewayError(error)) expect(error.spec.exit).toBe(5);
    }
    expect(isGatewayError(await refusal(upgradeCardReaders(async () => source([reader('R0', 'absent')])).pick('R9')), 'UPGRADE_CARD_READER_NONE')).toBe(true);
  });
});
