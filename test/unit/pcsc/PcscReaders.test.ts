import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import { PcscLibraryError, ScardCode } from '../../../drivers/pcsc/PcscLibrary.js';
import { PcscReaders, type PcscEvent } from '../../../drivers/pcsc/PcscReaders.js';
import { echoCard, FakePcscLibrary } from './FakePcscLibrary.js';

const READER = 'ACS ACR39U ICC Reader 00 00';
const SELECT = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x06, 0x54, 0x53, 0x41, 0x4d, 0x30, 0x31]);
const open: PcscReaders[] = [];

async function start(library: FakePcscLibrary, options: { transmitTimeoutMs?: number; startupTimeoutMs?: number } = {}) {
  const readers = await PcscReaders.open({ library, settleMs: 200, ...options });
  open.push(readers);
  return readers;
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

function nextEvent(readers: PcscReaders, type: PcscEvent['type']): Promise<PcscEvent> {
  return new Promise((resolve) => {
    const stop = readers.onEvent((event) => {
      if (event.type === type) {
        stop();
        resolve(event);
      }
    });
  });
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

describe('PcscReaders: listing and events', () => {
  it('lists the readers and what is in them once open resolves', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.plug('Empty Reader 01');
    library.insert(READER, echoCard());
    const readers = await start(library);
    expect(readers.list()).toEqual([
      { name: READER, card: 'present', atrHex: '3B021450', exclusive: false, connected: false },
      { name: 'Empty Reader 01', card: 'absent', exclusive: false, connected: false },
    ]);
    expect(readers.available).toBe(true);
  });

  it('reports readers plugged and unplugged, cards inserted and removed', async () => {
    const library = new FakePcscLibrary();
    const readers = await start(library);
    expect(readers.list()).toEqual([]);
    const events: PcscEvent[] = [];
    readers.onEvent((event) => events.push(event));

    library.plug(READER);
    await readers.waitForReader(READER, 1000);
    library.insert(READER, echoCard());
    await readers.waitForCard(READER, 1000);
    library.pull(READER);
    await readers.waitForNoCard(READER, 1000);
    const removed = nextEvent(readers, 'reader-removed');
    library.unplug(READER);
    await removed;

    expect(events.map((e) => `${e.type} ${'reader' in e ? e.reader : ''}`)).toEqual([
      `reader-added ${READER}`,
      `card-inserted ${READER}`,
      `card-removed ${READER}`,
      `reader-removed ${READER}`,
    ]);
    expect(events[1]).toMatchObject({ atr: Uint8Array.from([0x3b, 0x02, 0x14, 0x50]) });
    expect(readers.list()).toEqual([]);
  });

  it('calls every listener even when one throws, and stops calling an unsubscribed one', async () => {
    const library = new FakePcscLibrary();
    const readers = await start(library);
    const seen: string[] = [];
    readers.onEvent(() => {
      throw new Error('listener bug');
    });
    const stop = readers.onEvent((e) => seen.push(`first ${e.type}`));
    readers.onEvent((e) => seen.push(`second ${e.type}`));
    library.plug(READER);
    await readers.waitForReader(READER, 1000);
    stop();
    library.insert(READER, echoCard());
    await readers.waitForCard(READER, 1000);
    expect(seen).toEqual(['first reader-added', 'second reader-added', 'second card-inserted']);
  });

  it('times out waiting for a card with TIMEOUT', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    const readers = await start(library);
    const error = await rejection(readers.waitForCard(READER, 50));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain(READER);
  });

  it('opens even when a reader never reports its state, showing the card as unknown', async () => {
    const library = new FakePcscLibrary();
    library.reportStatus = false;
    library.plug(READER);
    const readers = await start(library, { startupTimeoutMs: 50 });
    expect(readers.list()).toEqual([{ name: READER, card: 'unknown', exclusive: false, connected: false }]);
  });

  it('refuses to open without pcscd: PCSC_UNAVAILABLE with a remedy', async () => {
    const library = new FakePcscLibrary();
    library.serviceUp = false;
    const error = await rejection(PcscReaders.open({ library }));
    expect(error.code).toBe('PCSC_UNAVAILABLE');
    expect(error.remedy('en')).toContain('pcscd');
    expect(error.localized('zh-CN')).toContain('PC/SC');
  });
});

describe('PcscCard: connect, transmit, reset, disconnect', () => {
  it('connects shared, transmits raw APDUs and describes itself as a pcsc CardChannel', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.insert(READER, echoCard());
    const readers = await start(library);
    const card = await readers.connect(READER);
    expect(card.description).toEqual({ kind: 'pcsc', reader: READER });
    expect(card.mode).toBe('shared');
    expect(card.protocol).toBe('T1');
    expect(Buffer.from(card.atr).toString('hex')).toBe('3b021450');
    expect(await card.transmit(SELECT)).toEqual(Uint8Array.from([0xa4, 0x90, 0x00]));
    expect(readers.list()[0]!.connected).toBe(true);
    expect(library.reader(READER).calls).toEqual(['connect shared', `transmit ${Buffer.from(SELECT).toString('hex')} T1 65538`]);
  });

  it('connects exclusive on request', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.insert(READER, echoCard());
    const readers = await start(library);
    const card = await readers.connect(READER, { mode: 'exclusive' });
    expect(card.mode).toBe('exclusive');
    expect(library.reader(READER).calls).toEqual(['connect exclusive']);
  });

  it('keeps APDUs in order when they are sent without waiting', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.insert(READER, echoCard());
    const readers = await start(library);
    const card = await readers.connect(READER);
    const answers = await Promise.all([0x10, 0x20, 0x30, 0x40].map((ins) => card.transmit(Uint8Array.from([0, ins, 0, 0]))));
    expect(answers.map((a) => a[0])).toEqual([0x10, 0x20, 0x30, 0x40]);
  });

  it('resets with SCARD_RESET_CARD and a new handle in the same mode, resolving with the ATR', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.insert(READER, echoCard([0x3b, 0x88, 0x01]));
    const readers = await start(library);
    const card = await readers.connect(READER, { mode: 'exclusive' });
    expect(await card.reset()).toEqual(Uint8Array.from([0x3b, 0x88, 0x01]));
    expect(library.reader(READER).resets).toBe(1);
    expect(library.reader(READER).calls).toEqual(['connect exclusive', 'disconnect reset', 'connect exclusive']);
    expect((await card.transmit(SELECT))[0]).toBe(0xa4);
  });

  it('disconnects once, frees the reader for a new connection, and refuses the old card after', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.insert(READER, echoCard());
    const readers = await start(library);
    const card = await readers.connect(READER);
    await card.disconnect('unpower');
    await card.disconnect();
    expect(card.isConnected).toBe(false);
    expect((await rejection(card.transmit(SELECT))).code).toBe('CARD_DISCONNECTED');
    expect(readers.list()[0]!.connected).toBe(false);
    const again = await readers.connect(READER);
    expect((await again.transmit(SELECT))[0]).toBe(0xa4);
    expect(library.reader(READER).calls.filter((c) => c.startsWith('disconnect'))).toEqual(['disconnect unpower']);
  });

  it('refuses a command shorter than a header or longer than an extended APDU with BAD_REQUEST', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.insert(READER, echoCard());
    const readers = await start(library);
    const card = await readers.connect(READER);
    expect((await rejection(card.transmit(Uint8Array.from([0, 0xa4, 0])))).code).toBe('BAD_REQUEST');
    // The longest APDU there is: extended case 4, header 4 + Lc 3 + 65535 data + Le 2.
    expect((await card.transmit(new Uint8Array(65544))).length).toBeGreaterThanOrEqual(2);
    expect((await rejection(card.transmit(new Uint8Array(65545)))).code).toBe('BAD_REQUEST');
  });

  it('refuses a response without a status word', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.insert(READER, { atr: Uint8Array.of(0x3b, 0), answer: () => Uint8Array.of(0x90) });
    const readers = await start(library);
    const card = await readers.connect(READER);
    expect((await rejection(card.transmit(SELECT))).code).toBe('CARD_TRANSACTION_FAILED');
  });
});

describe('PcscReaders: connection refusals', () => {
  it('names an unknown reader READER_NOT_FOUND and lists the known ones', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    const readers = await start(library);
    const error = await rejection(readers.connect('Nope 00 00'));
    expect(error.code).toBe('READER_NOT_FOUND');
    expect(error.data).toEqual({ readers: [READER] });
  });

  it('says CARD_ABSENT for an empty reader', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    const readers = await start(library);
    const error = await rejection(readers.connect(READER));
    expect(error.code).toBe('CARD_ABSENT');
    expect(error.localized('zh-CN')).toContain(READER);
  });

  it('says READER_BUSY when another program holds the card exclusively, or when we already hold it', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.plug('Second 01');
    library.insert(READER, echoCard());
    library.insert('Second 01', echoCard());
    library.reader(READER).heldByOther = 'exclusive';
    library.reader('Second 01').heldByOther = 'shared';
    const readers = await start(library);
    expect((await rejection(readers.connect(READER))).code).toBe('READER_BUSY');
    expect((await rejection(readers.connect('Second 01', { mode: 'exclusive' }))).code).toBe('READER_BUSY');
    await readers.connect('Second 01');
    const mine = await rejection(readers.connect('Second 01'));
    expect(mine.code).toBe('READER_BUSY');
    expect(mine.data).toMatchObject({ holder: 'fiscal-gateway' });
  });

  it('says READER_BUSY to a second connect that races the first', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.insert(READER, echoCard());
    const readers = await start(library);
    const [first, second] = await Promise.allSettled([readers.connect(READER), readers.connect(READER)]);
    expect(first.status).toBe('fulfilled');
    expect(second.status === 'rejected' && (second.reason as GatewayError).code).toBe('READER_BUSY');
  });
});

describe('PcscCard: the card, the reader or pcscd going away', () => {
  async function connected() {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.insert(READER, echoCard());
    const readers = await start(library);
    const card = await readers.connect(READER);
    return { library, readers, card, fake: library.reader(READER) };
  }

  it('fails every call with CARD_REMOVED once the card is pulled, without touching the reader', async () => {
    const { library, readers, card, fake } = await connected();
    library.pull(READER);
    await readers.waitForNoCard(READER, 1000);
    const error = await rejection(card.transmit(SELECT));
    expect(error.code).toBe('CARD_REMOVED');
    expect(error.remedy('en')).toMatch(/took effect/);
    expect((await rejection(card.reset())).code).toBe('CARD_REMOVED');
    expect(fake.calls.some((c) => c.startsWith('transmit'))).toBe(false);
    expect(card.isConnected).toBe(false);
  });

  it('lets the card be connected again after it is re-inserted', async () => {
    const { library, readers } = await connected();
    library.pull(READER);
    await readers.waitForNoCard(READER, 1000);
    library.insert(READER, echoCard([0x3b, 0x01, 0x02]));
    await readers.waitForCard(READER, 1000);
    const again = await readers.connect(READER);
    expect(Buffer.from(again.atr).toString('hex')).toBe('3b0102');
    expect((await again.transmit(SELECT))[0]).toBe(0xa4);
  });

  it('turns a failed exchange into CARD_REMOVED when the card turns out to be gone (vpcd answers NOT_TRANSACTED)', async () => {
    const { library, card, fake } = await connected();
    fake.hold = true;
    const pending = card.transmit(SELECT);
    await fake.whenPending();
    library.pull(READER);
    fake.releasePending(ScardCode.NOT_TRANSACTED);
    expect((await rejection(pending)).code).toBe('CARD_REMOVED');
  });

  it('keeps NOT_TRANSACTED as CARD_TRANSACTION_FAILED when the card stays, and the card stays usable', async () => {
    const { card, fake } = await connected();
    fake.failNextTransmit = ScardCode.NOT_TRANSACTED;
    const error = await rejection(card.transmit(SELECT));
    expect(error.code).toBe('CARD_TRANSACTION_FAILED');
    expect(error.data).toMatchObject({ scard: '0x80100016', operation: 'SCardTransmit' });
    expect((await card.transmit(SELECT))[0]).toBe(0xa4);
  });

  it('says READER_GONE when the reader is unplugged mid-APDU', async () => {
    const { library, readers, card, fake } = await connected();
    fake.hold = true;
    const pending = card.transmit(SELECT);
    await fake.whenPending();
    const removed = nextEvent(readers, 'reader-removed');
    library.unplug(READER);
    await removed;
    fake.releasePending(ScardCode.READER_UNAVAILABLE);
    expect((await rejection(pending)).code).toBe('READER_GONE');
    expect((await rejection(card.transmit(SELECT))).code).toBe('READER_GONE');
    expect((await rejection(readers.connect(READER))).code).toBe('READER_NOT_FOUND');
  });

  it('says PCSC_UNAVAILABLE everywhere once pcscd dies, and announces it', async () => {
    const { library, readers, card } = await connected();
    const unavailable = nextEvent(readers, 'unavailable');
    library.killService();
    const event = await unavailable;
    expect(event.type === 'unavailable' && event.error.code).toBe('PCSC_UNAVAILABLE');
    expect(readers.available).toBe(false);
    expect(readers.list()).toEqual([]);
    expect((await rejection(card.transmit(SELECT))).code).toBe('PCSC_UNAVAILABLE');
    expect((await rejection(readers.connect(READER))).code).toBe('PCSC_UNAVAILABLE');
    expect((await rejection(readers.waitForCard(READER, 10))).code).toBe('PCSC_UNAVAILABLE');
    expect(library.closed).toBe(true);
  });

  it('says PCSC_UNAVAILABLE, not READER_GONE, when the readers notice pcscd dying before the context does', async () => {
    const { library, readers, card } = await connected();
    const events: string[] = [];
    readers.onEvent((e) => events.push(e.type));
    library.killServiceReadersFirst();
    await new Promise((resolve) => readers.onEvent((e) => e.type === 'unavailable' && resolve(e)));
    expect((await rejection(card.transmit(SELECT))).code).toBe('PCSC_UNAVAILABLE');
    expect(events.filter((t) => t === 'unavailable')).toHaveLength(1);
  });

  it('treats a reader watcher failing for another reason as that reader going', async () => {
    const { library, readers, card } = await connected();
    const removed = nextEvent(readers, 'reader-removed');
    library.listener!.readerFailed(READER, new PcscLibraryError('SCardGetStatusChange', ScardCode.UNKNOWN_READER, 'Unknown reader.'));
    library.listener!.readerEnded(READER);
    await removed;
    expect(readers.available).toBe(true);
    expect((await rejection(card.transmit(SELECT))).code).toBe('READER_GONE');
  });

  it('gives up an APDU that never returns with TIMEOUT, and the card with it', async () => {
    const library = new FakePcscLibrary();
    library.plug(READER);
    library.insert(READER, echoCard());
    const readers = await start(library, { transmitTimeoutMs: 30 });
    const card = await readers.connect(READER);
    library.reader(READER).hold = true;
    const error = await rejection(card.transmit(SELECT));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain(READER);
    expect((await rejection(card.transmit(SELECT))).code).toBe('TIMEOUT');
  });

  it('maps a card reset by another program to CARD_RESET_ELSEWHERE, which a reset cures', async () => {
    const { card, fake } = await connected();
    fake.failNextTransmit = ScardCode.RESET_CARD;
    expect((await rejection(card.transmit(SELECT))).code).toBe('CARD_RESET_ELSEWHERE');
    await card.reset();
    expect((await card.transmit(SELECT))[0]).toBe(0xa4);
  });

  it('closes cleanly: cards disconnected, context closed, later calls refused', async () => {
    const { library, readers, card, fake } = await connected();
    await readers.close();
    await readers.close();
    expect(library.closed).toBe(true);
    expect(fake.calls.at(-1)).toBe('disconnect leave');
    expect(card.isConnected).toBe(false);
    expect((await rejection(readers.connect(READER))).code).toBe('PCSC_UNAVAILABLE');
  });
});
