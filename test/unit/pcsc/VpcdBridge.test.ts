import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import { VpcdBridge, vpcdPort, vpcdReaderName } from '../../../fixtures/vpcd/VpcdBridge.js';
import { encodeVpcdFrame, VpcdFrameDecoder } from '../../../fixtures/vpcd/VpcdFrameDecoder.js';
import { TinyCard } from '../../integration/pcsc/TinyCard.js';
import { FakeVpcd } from './FakeVpcd.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { reconnect?: boolean } = {}) {
  const vpcd = new FakeVpcd();
  const port = await vpcd.listen();
  const card = new TinyCard();
  const bridge = new VpcdBridge({ card, port, retryDelayMs: 20, ...options });
  cleanups.push(() => vpcd.close(), () => bridge.stop());
  return { vpcd, port, card, bridge };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('VpcdBridge', () => {
  it('names the vpcd readers and their ports as pcscd loads them', () => {
    expect(vpcdPort(0)).toBe(35963);
    expect(vpcdPort(1)).toBe(35964);
    expect(vpcdReaderName(1)).toBe('Virtual PCD 00 01');
  });

  it('answers GET ATR with the ATR and APDUs with the card\'s responses', async () => {
    const { vpcd, card, bridge } = await setup();
    await bridge.insert();
    expect(bridge.inserted).toBe(true);
    expect(await vpcd.exchange([0x04])).toEqual(card.atr);
    expect(hex(await vpcd.exchange([0x00, 0xa4, 0x04, 0x00, 0x06, ...Buffer.from('TINY01')]))).toBe('9000');
    expect(hex(await vpcd.exchange([0x00, 0xb0, 0x00, 0x0e, 0x02]))).toBe('aeaf9000');
    expect(bridge.counters.apdus).toBe(2);
  });

  it('resets the card on power off, power on and reset, and answers none of them', async () => {
    const { vpcd, card, bridge } = await setup();
    await bridge.insert();
    await vpcd.send([0x00]);
    await vpcd.send([0x01]);
    await vpcd.send([0x02]);
    await vpcd.send([0x09]); // unknown control byte: ignored
    expect(await vpcd.exchange([0x04])).toEqual(card.atr); // the first answer is the ATR: the controls got none
    expect(card.resets).toBe(3);
    expect(bridge.counters).toMatchObject({ powerOffs: 1, powerOns: 1, resets: 1 });
  });

  it('copes with frames split into single bytes and with two frames in one chunk', async () => {
    const { vpcd, bridge } = await setup();
    await bridge.insert();
    const peer = await vpcd.waitForPeer();
    const select = encodeVpcdFrame(Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x06, ...Buffer.from('TINY01')]));
    for (const byte of select) peer.write(Uint8Array.of(byte));
    expect(hex(await vpcd.nextAnswer())).toBe('9000');
    const read = encodeVpcdFrame(Uint8Array.from([0x00, 0xb0, 0x00, 0x0f, 0x01]));
    const atr = encodeVpcdFrame(Uint8Array.of(0x04));
    peer.write(Buffer.concat([read, atr]));
    expect(hex(await vpcd.nextAnswer())).toBe('af9000');
    expect(hex(await vpcd.nextAnswer())).toBe('3b66000054494e593031');
  });

  it('answers 6F00 when the virtual card throws', async () => {
    const { vpcd, bridge, card } = await setup();
    card.process = () => {
      throw new RangeError('fixture bug');
    };
    await bridge.insert();
    expect(hex(await vpcd.exchange([0x00, 0xb0, 0x00, 0x00, 0x01]))).toBe('6f00');
  });

  it('pulls the card by closing the socket, and does not come back', async () => {
    const { vpcd, bridge } = await setup();
    await bridge.insert();
    await vpcd.waitForPeer();
    await bridge.remove();
    await vpcd.waitForPeerClose();
    expect(bridge.inserted).toBe(false);
    await new Promise((r) => setTimeout(r, 60)); // three retry periods: a reconnect would have happened
    expect(vpcd.accepted).toBe(1);
  });

  it('connects again when vpcd drops the link (pcscd restarted)', async () => {
    const { vpcd, bridge } = await setup();
    await bridge.insert();
    (await vpcd.waitForPeer()).destroy();
    await vpcd.waitForPeerClose();
    expect(hex(await vpcd.exchange([0x04]))).toBe('3b66000054494e593031');
    expect(vpcd.accepted).toBe(2);
    expect(bridge.counters.connections).toBe(2);
  });

  it('waits for vpcd to start listening, within the insert timeout', async () => {
    const vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    await vpcd.close();
    const bridge = new VpcdBridge({ card: new TinyCard(), port, retryDelayMs: 20 });
    cleanups.push(() => bridge.stop());
    const inserting = bridge.insert(5000);
    const later = new FakeVpcd();
    cleanups.push(() => later.close());
    await later.listen(port);
    await inserting;
    expect(bridge.inserted).toBe(true);
  });

  it('says VPCD_UNREACHABLE when nothing listens: after the timeout, or at once without reconnect', async () => {
    const vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    await vpcd.close();
    const patient = new VpcdBridge({ card: new TinyCard(), port, retryDelayMs: 10 });
    const error = await patient.insert(80).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('VPCD_UNREACHABLE');
    expect((error as GatewayError).message).toContain(String(port));
    expect((error as GatewayError).remedy('en')).toContain('pcscd');
    const hasty = new VpcdBridge({ card: new TinyCard(), port, reconnect: false });
    const fast = await hasty.insert(60_000).then(() => undefined, (e: unknown) => e);
    expect((fast as GatewayError).code).toBe('VPCD_UNREACHABLE');
  });

  it('swaps the card only while removed', async () => {
    const { vpcd, bridge } = await setup();
    await bridge.insert();
    const other = new TinyCard();
    const refused = await bridge.insert(1000, other).then(() => undefined, (e: unknown) => e);
    expect((refused as GatewayError).code).toBe('BAD_REQUEST');
    await bridge.remove();
    await vpcd.waitForPeerClose();
    await bridge.insert(1000, other);
    await vpcd.exchange([0x00, 0xb0, 0x00, 0x00, 0x01]);
    expect(other.seen).toEqual(['00b0000001']);
  });
});

describe('vpcd frames', () => {
  it('decode back to what was encoded, however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map(encodeVpcdFrame));
          const decoder = new VpcdFrameDecoder();
          const out: Uint8Array[] = [];
          let offset = 0;
          for (let i = 0; offset < stream.length; i++) {
            const size = cuts[i % cuts.length]!;
            out.push(...decoder.push(stream.subarray(offset, offset + size)));
            offset += size;
          }
          expect(out.map(hex)).toEqual(payloads.map(hex));
          expect(decoder.pending).toBe(0);
        },
      ),
    );
  });

  it('never throws on random bytes, and keeps an incomplete frame for later', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const decoder = new VpcdFrameDecoder();
        const frames = decoder.push(bytes);
        const consumed = frames.reduce((n, f) => n + 2 + f.length, 0);
        expect(consumed + decoder.pending).toBe(bytes.length);
      }),
    );
  });

  it('refuses a payload longer than 65535 bytes with BAD_REQUEST', () => {
    expect(() => encodeVpcdFrame(new Uint8Array(65536))).toThrow(GatewayError);
    expect(encodeVpcdFrame(new Uint8Array(65535)).length).toBe(65537);
  });
});
