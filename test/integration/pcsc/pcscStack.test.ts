import { afterAll, beforeAll, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import { PcscReaders, type PcscEvent } from '../../../drivers/pcsc/PcscReaders.js';
import { VpcdBridge } from '../../../fixtures/vpcd/VpcdBridge.js';
import { describeWithPcscd, startPcscd, type RunningPcscd } from '../../helpers/pcscd.js';
import { TinyCard } from './TinyCard.js';

/**
 * drivers/pcsc and the vpcd bridge against a real pcscd, with a small card of our own: events,
 * share modes, raw T=0 answers, PIN counter, reset, a card pulled mid-APDU, pcscd killed and
 * restarted under a connected card.
 */
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const apdu = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const SELECT_TINY = apdu('00 A4 04 00 06 54494E593031');
const WAIT = 5000;

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describeWithPcscd('PC/SC stack on a real pcscd with vpcd readers', () => {
  let pcscd: RunningPcscd;
  let readers: PcscReaders;
  let first: string;
  let second: string;
  const tiny = new TinyCard();
  const other = new TinyCard();
  const bridges: VpcdBridge[] = [];
  const events: PcscEvent[] = [];

  beforeAll(async () => {
    pcscd = await startPcscd();
    [first, second] = pcscd.readers.map((r) => r.name) as [string, string];
    bridges.push(new VpcdBridge({ card: tiny, port: pcscd.readers[0]!.port }), new VpcdBridge({ card: other, port: pcscd.readers[1]!.port }));
    readers = await PcscReaders.open();
    readers.onEvent((event) => events.push(event));
  });

  afterAll(async () => {
    await readers?.close();
    for (const bridge of bridges) await bridge.stop();
    await pcscd?.stop();
  });

  it('lists both vpcd readers, empty', () => {
    expect(readers.list()).toEqual([
      { name: 'Virtual PCD 00 00', card: 'absent', exclusive: false, connected: false },
      { name: 'Virtual PCD 00 01', card: 'absent', exclusive: false, connected: false },
    ]);
  });

  it('sees a card inserted through the bridge, with its ATR', async () => {
    await bridges[0]!.insert();
    const info = await readers.waitForCard(first, WAIT);
    expect(info.atrHex).toBe(hex(tiny.atr));
    expect(events).toContainEqual({ type: 'card-inserted', reader: first, atr: tiny.atr });
  });

  it('transmits raw APDUs: T=0 answers 61xx and 6Cxx come through untouched', async () => {
    const card = await readers.connect(first);
    try {
      expect(hex(card.atr)).toBe(hex(tiny.atr));
      expect(hex(await card.transmit(SELECT_TINY))).toBe('9000');
      expect(hex(await card.transmit(apdu('00 B0 00 00 10')))).toBe(hex(tiny.file) + '9000');
      expect(hex(await card.transmit(apdu('00 B0 00 00 04')))).toBe('6C10');
      expect(hex(await card.transmit(apdu('00 CA 00 00 00')))).toBe('6106');
      expect(hex(await card.transmit(apdu('00 C0 00 00 06')))).toBe('DEADBEEF01029000');
    } finally {
      await card.disconnect();
    }
  });

  it('counts wrong PINs down with 63Cx and then answers 6983', async () => {
    const card = await readers.connect(first, { mode: 'exclusive' });
    try {
      await card.transmit(SELECT_TINY);
      const wrong = apdu('00 20 00 01 04 39393939');
      expect(hex(await card.transmit(wrong))).toBe('63C2');
      expect(hex(await card.transmit(wrong))).toBe('63C1');
      expect(hex(await card.transmit(wrong))).toBe('6983');
      expect(hex(await card.transmit(apdu('00 20 00 01 04 31323334')))).toBe('6983');
    } finally {
      await card.disconnect();
    }
  });

  it('resets the card: the ATR comes back and the card forgets its selection', async () => {
    const card = await readers.connect(first);
    try {
      await card.transmit(SELECT_TINY);
      const resetsBefore = tiny.resets;
      expect(hex(await card.reset())).toBe(hex(tiny.atr));
      expect(tiny.resets).toBeGreaterThan(resetsBefore);
      expect(hex(await card.transmit(apdu('00 B0 00 00 10')))).toBe('6985');
    } finally {
      await card.disconnect();
    }
  });

  it('keeps others out of an exclusive connection (READER_BUSY) and lets them share a shared one', async () => {
    const another = await PcscReaders.open();
    try {
      const card = await readers.connect(first, { mode: 'exclusive' });
      expect((await rejection(another.connect(first))).code).toBe('READER_BUSY');
      await card.disconnect();
      const shared = await readers.connect(first);
      const alongside = await another.connect(first);
      expect(hex(await alongside.transmit(SELECT_TINY))).toBe('9000');
      await alongside.disconnect();
      await shared.disconnect();
    } finally {
      await another.close();
    }
  });

  it('says CARD_ABSENT for the empty reader and READER_NOT_FOUND for an unknown one', async () => {
    expect((await rejection(readers.connect(second))).code).toBe('CARD_ABSENT');
    expect((await rejection(readers.connect('Virtual PCD 00 07'))).code).toBe('READER_NOT_FOUND');
  });

  it('says CARD_REMOVED when the card is pulled mid-APDU, and connects again once it is back', async () => {
    const card = await readers.connect(first);
    const bridge = bridges[0]!;
    const process = tiny.process.bind(tiny);
    // The card is pulled while pcscd waits for its answer to this APDU.
    tiny.process = (command) => {
      if (command[1] === 0xee) void bridge.remove();
      return process(command);
    };
    try {
      const error = await rejection(card.transmit(apdu('00 EE 00 00')));
      expect(error.code).toBe('CARD_REMOVED');
      expect(error.localized('zh-CN')).toContain(first);
      expect((await rejection(card.transmit(SELECT_TINY))).code).toBe('CARD_REMOVED');
      await readers.waitForNoCard(first, WAIT);
      expect(events).toContainEqual({ type: 'card-removed', reader: first });
    } finally {
      tiny.process = process;
    }
    await bridge.insert();
    await readers.waitForCard(first, WAIT);
    const again = await readers.connect(first);
    expect(hex(await again.transmit(SELECT_TINY))).toBe('9000');
    await again.disconnect();
  });

  it('says CARD_REMOVED to the next APDU after the card was pulled between APDUs', async () => {
    const card = await readers.connect(first);
    await bridges[0]!.remove();
    await readers.waitForNoCard(first, WAIT);
    expect((await rejection(card.transmit(SELECT_TINY))).code).toBe('CARD_REMOVED');
    await bridges[0]!.insert();
    await readers.waitForCard(first, WAIT);
  });

  it('says PCSC_UNAVAILABLE when pcscd dies under a connected card, and the bridge re-inserts into the next pcscd', async () => {
    await bridges[1]!.insert();
    await readers.waitForCard(second, WAIT);
    const card = await readers.connect(second);
    expect(hex(await card.transmit(SELECT_TINY))).toBe('9000');
    const unavailable = new Promise<PcscEvent>((resolve) => readers.onEvent((e) => e.type === 'unavailable' && resolve(e)));

    await pcscd.kill();
    const error = await rejection(card.transmit(SELECT_TINY));
    expect(error.code).toBe('PCSC_UNAVAILABLE');
    expect(error.remedy('zh-CN')).toContain('pcscd');
    expect(await unavailable).toMatchObject({ type: 'unavailable' });
    expect(readers.available).toBe(false);
    expect((await rejection(readers.connect(second))).code).toBe('PCSC_UNAVAILABLE');
    await readers.close();
    expect((await rejection(PcscReaders.open())).code).toBe('PCSC_UNAVAILABLE');

    await pcscd.stop();
    pcscd = await startPcscd();
    readers = await PcscReaders.open();
    await readers.waitForCard(second, WAIT);
    const back = await readers.connect(second);
    expect(hex(await back.transmit(SELECT_TINY))).toBe('9000');
    expect(bridges[1]!.counters.connections).toBeGreaterThanOrEqual(2);
    await back.disconnect();
  });

  it('says PCSC_UNAVAILABLE when pcscd is stopped cleanly under a connected card', async () => {
    await readers.waitForCard(second, WAIT);
    const card = await readers.connect(second);
    expect(hex(await card.transmit(SELECT_TINY))).toBe('9000');
    await pcscd.stop();
    const error = await rejection(card.transmit(SELECT_TINY));
    expect(error.code).toBe('PCSC_UNAVAILABLE');
  });
});
