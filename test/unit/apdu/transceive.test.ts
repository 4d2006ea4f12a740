import { describe, expect, it } from 'vitest';
import type { CardChannel } from '../../../contracts/CardChannel.js';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { transceive } from '../../../protocols/apdu/transceive.js';
import { rejection as failure } from '../card/helpers.js';

const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/ /g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** A channel that answers from a script and records what it was sent. */
function scripted(answers: (string | Error)[]): CardChannel & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    description: { kind: 'virtual', reader: 'script' },
    async transmit(apdu) {
      sent.push(hex(apdu));
      const next = answers.shift();
      if (next === undefined) throw new Error('script exhausted');
      if (next instanceof Error) throw next;
      return bytes(next);
    },
    async reset() {
      return bytes('3B00');
    },
  };
}

describe('transceive', () => {
  it('returns a plain answer as it is', async () => {
    const channel = scripted(['AABB9000']);
    const response = await transceive(channel, bytes('00B0000002'));
    expect(hex(response.data)).toBe('AABB');
    expect(response.sw).toBe(0x9000);
    expect(channel.sent).toEqual(['00B0000002']);
  });

  it('returns a 62xx/63xx warning with its data and a typed warning (6282: end of file before Le bytes)', async () => {
    const response = await transceive(scripted(['AABBCC 6282']), bytes('00B0000000'));
    expect(hex(response.data)).toBe('AABBCC');
    expect(response.sw).toBe(0x6282);
    expect(response.warning).toEqual({ sw: 0x6282, hex: '6282', warning: 'end-of-data', en: 'end of file or record reached before reading Ne bytes' });
    expect((await transceive(scripted(['01 6283']), bytes('00A4000002EF0300'))).warning?.warning).toBe('file-deactivated');
    expect((await transceive(scripted(['62F1']), bytes('00B0000001'))).warning?.warning).toBe('other');
    // 63Cx is a verification's answer, not a warning; 9000 and errors carry none.
    expect((await transceive(scripted(['63C2']), bytes('00200000'))).warning).toBeUndefined();
    expect((await transceive(scripted(['9000']), bytes('00200000'))).warning).toBeUndefined();
    expect((await transceive(scripted(['6A82']), bytes('00A4000002EF09'))).warning).toBeUndefined();
  });

  it('a warning after GET RESPONSE comes with all the data', async () => {
    const response = await transceive(scripted(['6104', '01020304 6282']), { cla: 0x00, ins: 0xb2, p1: 1, p2: 4, data: new Uint8Array(0) });
    expect(hex(response.data)).toBe('01020304');
    expect(response.warning?.hex).toBe('6282');
  });

  it('follows 61xx with GET RESPONSE and concatenates', async () => {
    const channel = scripted(['6104', '01020304 6102', '0506 9000']);
    const response = await transceive(channel, { cla: 0xc0, ins: 0xf2, p1: 0, p2: 0, data: bytes('11'), le: 6 });
    expect(hex(response.data)).toBe('010203040506');
    expect(response.sw).toBe(0x9000);
    expect(channel.sent).toEqual(['C0F200000111' + '06', '00C0000004', '00C0000002']);
  });

  it('treats 6100 as 256 bytes available', async () => {
    const channel = scripted(['6100', '00'.repeat(256) + '9000']);
    const response = await transceive(channel, bytes('C0F00000'));
    expect(response.data.length).toBe(256);
    expect(channel.sent[1]).toBe('00C0000000');
  });

  it('follows 9Fxx like 61xx', async () => {
    const channel = scripted(['9F02', 'CAFE9000']);
    const response = await transceive(channel, bytes('00A4040002AABB'));
    expect(hex(response.data)).toBe('CAFE');
  });

  it('re-sends once with the Le a 6Cxx names', async () => {
    const channel = scripted(['6C10', '00'.repeat(16) + '9000']);
    const response = await transceive(channel, bytes('00B0000000'));
    expect(response.data.length).toBe(16);
    expect(channel.sent).toEqual(['00B0000000', '00B0000010']);
  });

  it('handles 6Cxx on the re-send of a GET RESPONSE', async () => {
    const channel = scripted(['6108', '6C04', 'AABBCCDD9000']);
    const response = await transceive(channel, bytes('C0F9000001AA08'));
    expect(hex(response.data)).toBe('AABBCCDD');
    expect(channel.sent.slice(1)).toEqual(['00C0000008', '00C0000004']);
  });

  it('gives back the final status word of a chain, not only success', async () => {
    const channel = scripted(['6102', 'AABB6282']);
    const response = await transceive(channel, bytes('00B0000000'));
    expect(hex(response.data)).toBe('AABB');
    expect(response.sw).toBe(0x6282);
  });

  it('never sends a command that carries data twice: a 6Cxx to it is a malformed answer (a PIN is sent once)', async () => {
    const channel = scripted(['6C08', '1122334455667788' + '9000']);
    const error = await failure(transceive(channel, bytes('C0F90000 08 0102030405060708 08')));
    expect(error.code).toBe('CARD_RESPONSE_MALFORMED');
    expect(error.message).not.toContain('0102030405060708');
    expect(channel.sent).toEqual(['C0F90000080102030405060708' + '08']);
  });

  it('re-sends each GET RESPONSE of a chain once with the Le a 6Cxx names', async () => {
    const channel = scripted(['6104', '6C02', 'AABB 6102', '6C01', 'CC 9000']);
    const response = await transceive(channel, bytes('C0F0000004'));
    expect(hex(response.data)).toBe('AABBCC');
    expect(response.sw).toBe(0x9000);
    expect(channel.sent.slice(1)).toEqual(['00C0000004', '00C0000002', '00C0000002', '00C0000001']);
  });

  it('never gives back a 6Cxx: a GET RESPONSE refused twice is a malformed answer', async () => {
    const error = await failure(transceive(scripted(['6104', '6C02', '6C01']), bytes('C0F0000004')));
    expect(error.code).toBe('CARD_RESPONSE_MALFORMED');
  });

  it('refuses a card that asks twice for another Le', async () => {
    const error = await failure(transceive(scripted(['6C10', '6C08']), bytes('00B0000000')));
    expect(error.code).toBe('CARD_RESPONSE_MALFORMED');
  });

  it('bounds the GET RESPONSE loop', async () => {
    const channel = scripted(Array<string>(10).fill('01 6101'));
    const error = await failure(transceive(channel, bytes('00B0000000'), { maxGetResponses: 5 }));
    expect(error.code).toBe('CARD_RESPONSE_MALFORMED');
    expect(channel.sent.length).toBe(6);
  });

  it('bounds the total response size', async () => {
    const channel = scripted(['61FF', '00'.repeat(255) + '61FF', '00'.repeat(255) + '9000']);
    const error = await failure(transceive(channel, bytes('00B0000000'), { maxResponseBytes: 300 }));
    expect(error.code).toBe('CARD_RESPONSE_MALFORMED');
  });

  it('refuses a response shorter than a status word', async () => {
    const error = await failure(transceive(scripted(['90']), bytes('00B0000000')));
    expect(error.code).toBe('CARD_RESPONSE_MALFORMED');
  });

  it('wraps a channel failure that is not a GatewayError', async () => {
    const error = await failure(transceive(scripted([new Error('USB gone')]), bytes('00B0000000')));
    expect(error.code).toBe('CARD_TRANSMIT_FAILED');
    expect(error.message).toContain('USB gone');
  });

  it('passes a channel GatewayError through, also in the middle of a chain', async () => {
    const removed = new GatewayError('CARD_REMOVED', { params: { reader: 'r' } });
    const error = await failure(transceive(scripted(['6104', removed]), bytes('C0F00000')));
    expect(isGatewayError(error, 'CARD_REMOVED')).toBe(true);
  });
});
