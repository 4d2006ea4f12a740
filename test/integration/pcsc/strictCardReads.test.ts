import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardChannel } from '../../../contracts/CardChannel.js';
import { PcscReaders, type PcscCard } from '../../../drivers/pcsc/index.js';
import { createMatchingCardSet, strictFiscalCardProfiles } from '../../../fixtures/cards/index.js';
import { VpcdBridge } from '../../../fixtures/vpcd/VpcdBridge.js';
import { readCard } from '../../../src/services/cards/readCard.js';
import { describeWithPcscd, startPcscd, type RunningPcscd } from '../../helpers/pcscd.js';

/**
 * Acceptance of issue 10 item 0 on real PC/SC: a registered fiscal card of each strict profile
 * (every F9 is a verification; the other registration-flag reading) read five times through pcscd,
 * vpcd and drivers/pcsc, as `fiscalctl card READER` does: the card's own try counter never moves,
 * and no F9 crosses the reader.
 */
const WAIT = 5000;

/** Notes every command APDU that crosses the PC/SC channel. */
class RecordingChannel implements CardChannel {
  readonly commands: string[] = [];
  constructor(readonly inner: PcscCard) {}
  get description() {
    return this.inner.description;
  }
  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    this.commands.push(Buffer.from(apdu).toString('hex').toUpperCase());
    return this.inner.transmit(apdu);
  }
  reset(): Promise<Uint8Array> {
    return this.inner.reset();
  }
}

describeWithPcscd('strict fiscal cards read through pcscd and vpcd spend no PIN try', () => {
  let pcscd: RunningPcscd;
  let readers: PcscReaders;
  let reader: string;

  beforeAll(async () => {
    pcscd = await startPcscd();
    reader = pcscd.readers[0]!.name;
    readers = await PcscReaders.open();
  });

  afterAll(async () => {
    await readers?.close();
    await pcscd?.stop();
  });

  for (const profile of strictFiscalCardProfiles) {
    describe(`profile ${profile}`, () => {
      it('reads the registered card five times with its tries unchanged; never sends F9', async () => {
        const set = createMatchingCardSet({ profile, defect: 'fiscal-already-registered' });
        const bridge = new VpcdBridge({ card: set.fiscal, port: pcscd.readers[0]!.port });
        await bridge.insert();
        let card: PcscCard | undefined;
        try {
          await readers.waitForCard(reader, WAIT);
          card = await readers.connect(reader, { mode: 'shared' });
          const channel = new RecordingChannel(card);
          for (let read = 1; read <= 5; read += 1) {
            const report = await readCard(channel);
            expect(report.channel).toBe('pcsc');
            expect(report.fiscal).toMatchObject({ registration: 'registered', pinTries: { known: true, left: 3, source: 'query' } });
            expect(set.fiscal.pinTriesLeft).toBe(3);
          }
          expect(channel.commands.filter((c) => c.startsWith('C0F9'))).toEqual([]);
          expect(channel.commands.filter((c) => c.startsWith('0020'))).toEqual(Array(5).fill('00200000'));
        } finally {
          await card?.disconnect();
          await bridge.stop();
          await readers.waitForNoCard(reader, WAIT);
        }
      });
    });
  }
});
