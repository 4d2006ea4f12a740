import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMatchingCardSet, VirtualCardChannel } from '../../../fixtures/cards/index.js';
import { fileControlParameters, statedFileSize } from '../../../protocols/gb18240-card/fci.js';
import { statusErrorCode } from '../../../protocols/gb18240-card/statusTable.js';
import { CardSession } from '../../../src/devices/CardSession.js';
import { hex, rejection, tampered } from './helpers.js';

const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/ /g, ''), 'hex'));

/** A fiscal and a user card in readers that record every command. */
function recorded(transmission: 't1' | 't0' = 't1', rewrite?: (command: string, response: Uint8Array) => Uint8Array) {
  const set = createMatchingCardSet({ transmission });
  const sent: string[] = [];
  const channel = (card: typeof set.fiscal | typeof set.user) => tampered(new VirtualCardChannel(card), (command, response) => {
    sent.push(hex(command));
    return rewrite === undefined ? response : rewrite(hex(command), response);
  });
  return { set, sent, fiscal: new CardSession(channel(set.fiscal)), user: new CardSession(channel(set.user)) };
}

describe('FCI: the size a card states in its answer to SELECT', () => {
  it('reads tag 80 (or 81) inside 62, also inside 6F', () => {
    expect(statedFileSize(fileControlParameters(0xef03, 0x50, 'binary'))).toEqual({ bytes: 0x50, tag: 0x80 });
    expect(statedFileSize(bytes('6F 07 62 05 81 03 00 01 00'))).toEqual({ bytes: 256, tag: 0x81 });
    expect(statedFileSize(bytes('62 03 82 01 01'))).toBeUndefined();
    expect(statedFileSize(bytes('62 09 80'))).toBeUndefined();
    expect(statedFileSize(new Uint8Array(0))).toBeUndefined();
  });

  it('property: never throws, and states what fileControlParameters wrote', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (answer) => {
      statedFileSize(answer);
    }));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), (fid, size) => {
      expect(statedFileSize(fileControlParameters(fid, size, 'binary'))?.bytes).toBe(size);
    }));
  });
});

describe('file sizes GB18240.md does not give (fiscal EF03, user EF02) are taken from the card', () => {
  it('asks SELECT for the FCI and reads the size it states', async () => {
    const s = recorded();
    await s.fiscal.readFiscalAccumulation();
    expect(s.sent.slice(-2)).toEqual(['00A4000002EF0300', '00B0000050']);
    await s.user.readUserBasic();
    expect(s.sent.slice(-2)).toEqual(['00A4000002EF0200', '00B0000059']);
  });

  it('over T=0 too: the FCI through 61xx / GET RESPONSE', async () => {
    const s = recorded('t0');
    expect((await s.fiscal.readFiscalAccumulation()).validCount).toBe(0);
    expect(s.sent.slice(-3)).toEqual(['00A4000002EF0300', '00C000000D', '00B0000050']);
  });

  // Issue 10 item 4: 6282 was CARD_UNKNOWN_STATUS, and the sizes were fixed at 0x50 / 0x59.
  it('a card stating no size is read with Le 00 and its 6282 answer taken with the data, the warning noted', async () => {
    const s = recorded('t1', (command, response) => (command.startsWith('00A4000002EF') && command.length === 16 ? bytes('6700') : response));
    expect((await s.fiscal.readFiscalAccumulation()).lastIssueDate).toBeNull();
    expect(s.sent.slice(-3)).toEqual(['00A4000002EF0300', '00A4000002EF03', '00B0000000']);
    expect(s.fiscal.warnings).toEqual([{ operation: 'READ_BINARY', file: 'EF03', warning: expect.objectContaining({ hex: '6282', warning: 'end-of-data' }) }]);
    expect((await s.user.readUserBasic()).taxpayerName).toBe('深圳市示例商贸有限公司');
  });

  it('a longer file is decoded from its first bytes; a shorter one is malformed, naming both sizes', async () => {
    const longer = recorded('t1', (command, response) => {
      if (command === '00A4000002EF0300') return Uint8Array.from([...fileControlParameters(0xef03, 0x60, 'binary'), 0x90, 0x00]);
      if (command === '00B0000060') return Uint8Array.from([...Array(0x60).fill(0), 0x90, 0x00]);
      return response;
    });
    expect((await longer.fiscal.readFiscalAccumulation()).validCount).toBe(0);
    const shorter = recorded('t1', (command, response) => {
      if (command === '00A4000002EF0300') return Uint8Array.from([...fileControlParameters(0xef03, 0x40, 'binary'), 0x90, 0x00]);
      return response;
    });
    const error = await rejection(shorter.fiscal.readFiscalAccumulation());
    expect(error.code).toBe('CARD_RESPONSE_MALFORMED');
    expect(error.params.detail).toMatch(/EF03 holds 64 bytes \(its FCI states 64\), FiscalEF03 needs 80/);
  });

  it('an FCI stating 0 bytes is read with Le 00 (never an invalid Le 0)', async () => {
    const s = recorded('t1', (command, response) => {
      if (command === '00A4000002EF0300') return Uint8Array.from([...fileControlParameters(0xef03, 0, 'binary'), 0x90, 0x00]);
      return response;
    });
    expect((await s.fiscal.readFiscalAccumulation()).validCount).toBe(0);
    expect(s.sent.at(-1)).toBe('00B0000000');
  });

  it('a 6282 to a fixed-size read is taken with its data, then decoded (short data stays malformed)', async () => {
    const s = recorded('t1', (command, response) => (command === '00B0000067' ? Uint8Array.from([...response.slice(0, -2), 0x62, 0x82]) : response));
    expect((await s.fiscal.readFiscalBasic()).cardNumber).toBe('4403100000000001');
    expect(s.fiscal.warnings.map((w) => w.warning.hex)).toEqual(['6282']);
  });

  it('6281 (data may be corrupted) is never taken, and is a typed warning error, not an unknown status', async () => {
    const s = recorded('t1', (command, response) => (command === '00B0000067' ? Uint8Array.from([...response.slice(0, -2), 0x62, 0x81]) : response));
    expect((await rejection(s.fiscal.readFiscalBasic())).code).toBe('CARD_WARNING_STATUS');
    for (const sw of [0x6200, 0x6281, 0x6282, 0x6283, 0x6300, 0x6381, 0x62f1]) expect(statusErrorCode('ISSUE_INVOICE', sw)).toBe('CARD_WARNING_STATUS');
    expect(statusErrorCode('VERIFY_FISCAL_PIN', 0x63c2)).toBe('CARD_PIN_WRONG');
  });
});
