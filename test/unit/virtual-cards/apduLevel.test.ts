import { describe, expect, it } from 'vitest';
import { buildAtr, createInspectionCard, createMatchingCardSet } from '../../../fixtures/cards/index.js';
import { encodeCommandApdu } from '../../../protocols/apdu/CommandApdu.js';
import { applicationNameBytes, buildCardCommand, fiscalCommands, readBinary, readRecord, selectByFileId, selectByName, updateBinary } from '../../../protocols/gb18240-card/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/ /g, ''), 'hex'));
const sw = (r: Uint8Array) => hex(r.slice(-2));

describe('virtual cards at the APDU level', () => {
  it('have plausible ATRs for T=1 and T=0', () => {
    const t1 = createMatchingCardSet().fiscal.atr;
    expect(hex(t1.slice(0, 3))).toBe('3B8E01');
    expect(Buffer.from(t1.slice(3, 17)).toString('latin1')).toBe('GB18240 TSAM01');
    expect(t1.slice(1).reduce((x, b) => x ^ b, 0)).toBe(0);
    const t0 = createMatchingCardSet({ transmission: 't0' }).user.atr;
    expect(hex(t0.slice(0, 4))).toBe('3B6D0000');
    expect(hex(buildAtr('t0', 'CHECK01'))).toBe('3B6F0000' + Buffer.from('GB18240 CHECK01').toString('hex').toUpperCase());
  });

  it('select by name and by FID, read by SFI, refuse writes', () => {
    const { fiscal } = createMatchingCardSet();
    expect(sw(fiscal.process(encodeCommandApdu(selectByName('TID01'))))).toBe('6A82');
    expect(sw(fiscal.process(encodeCommandApdu(selectByName('TSAM01'))))).toBe('9000');
    expect(sw(fiscal.process(encodeCommandApdu(readBinary(0, 1))))).toBe('6986');
    expect(sw(fiscal.process(encodeCommandApdu(selectByFileId(0xef09))))).toBe('6A82');
    expect(sw(fiscal.process(encodeCommandApdu(selectByFileId(0xef02))))).toBe('9000');
    expect(hex(fiscal.process(encodeCommandApdu(readBinary(0, 2))))).toBe('00009000');
    expect(hex(fiscal.process(encodeCommandApdu(readBinary(2, 8, 0x02))))).toBe('44031000000000019000');
    expect(sw(fiscal.process(encodeCommandApdu(readBinary(103, 1))))).toBe('6B00');
    expect(sw(fiscal.process(encodeCommandApdu(updateBinary(0, Uint8Array.of(1)))))).toBe('6982');
    expect(sw(fiscal.process(encodeCommandApdu(readRecord(1, 83, 0x02))))).toBe('6981');
    expect(sw(fiscal.process(encodeCommandApdu(readRecord(1, 83, 0x04))))).toBe('6A83');
    expect(sw(fiscal.process(bytes('00B0')))).toBe('6700');
    expect(sw(fiscal.process(bytes('80CA000000')))).toBe('6E00');
    expect(sw(fiscal.process(bytes('0012000000')))).toBe('6D00');
  });

  it('check request length and XOR of the GB commands', () => {
    const { fiscal } = createMatchingCardSet({ fiscal: { registered: true }, profile: 'lenient' });
    expect(sw(fiscal.process(bytes('C0F9000004 11223344')))).toBe('6700');
    expect(fiscal.pinTriesLeft).toBe(3);
    const daily = encodeCommandApdu(buildCardCommand(fiscalCommands.dailyCollectSign, {
      date: '2026-01-01', validCount: 0, returnCount: 0, voidCount: 0, taxIndex: [1], validAmounts: [], returnAmounts: [],
    }));
    daily[daily.length - 2] ^= 1;
    expect(sw(fiscal.process(daily))).toBe('6A80');
  });

  it('strict profiles take any F9 as a verification and answer the ISO VERIFY query without spending a try', () => {
    for (const profile of ['strict', 'strict-other-flag', 'strict-no-query'] as const) {
      const { fiscal } = createMatchingCardSet({ fiscal: { registered: true }, profile });
      expect(sw(fiscal.process(bytes('C0F9000004 11223344')))).toBe('63C2');
      expect(sw(fiscal.process(bytes('C0F90000')))).toBe('63C1');
      expect(fiscal.pinTriesLeft).toBe(1);
      const query = profile === 'strict-no-query' ? '6D00' : '63C1';
      for (let i = 0; i < 3; i += 1) expect(sw(fiscal.process(bytes('00200000')))).toBe(query);
      expect(fiscal.pinTriesLeft).toBe(1);
    }
    const lenient = createMatchingCardSet({ fiscal: { registered: true }, profile: 'lenient' }).fiscal;
    expect(sw(lenient.process(bytes('C0F90000')))).toBe('63C3');
    expect(sw(lenient.process(bytes('00200000')))).toBe('6D00');
    expect(lenient.pinTriesLeft).toBe(3);
  });

  it('answer the ISO VERIFY query per ISO 7816-4: 6901 before registration, 9000 once verified, 6983 locked, 6A88 for another reference', () => {
    const blank = createMatchingCardSet().fiscal;
    expect(sw(blank.process(bytes('00200000')))).toBe('6901');
    const { fiscal } = createMatchingCardSet({ fiscal: { registered: true } });
    expect(sw(fiscal.process(bytes('00200081')))).toBe('6A88');
    expect(sw(fiscal.process(Uint8Array.from([0xc0, 0xf9, 0, 0, 8, ...fiscal.currentPin, 8])))).toBe('9000');
    expect(sw(fiscal.process(bytes('00200000')))).toBe('9000');
    fiscal.reset();
    for (let i = 0; i < 3; i += 1) fiscal.process(bytes('C0F90000'));
    expect(sw(fiscal.process(bytes('00200000')))).toBe('6983');
  });

  it('behave like T=0 cards when personalized so', () => {
    const { fiscal, user } = createMatchingCardSet({ transmission: 't0' });
    // Case 2 with the wrong Le: 6Cxx before acting, so nothing is distributed twice.
    expect(hex(user.process(bytes('C0E9000000')))).toBe('6C16');
    expect(user.lastDistributed).toBeNull();
    expect(sw(user.process(bytes('C0E9000016')))).toBe('9000');
    expect(user.lastDistributed).toMatchObject({ start: 1, end: 100 });

    // READ BINARY with another Le than the file holds: 6C with the exact length.
    fiscal.process(encodeCommandApdu(selectByFileId(0xef01)));
    expect(hex(fiscal.process(bytes('00B0000000')))).toBe('6C17');
    expect(sw(fiscal.process(bytes('00B0000017')))).toBe('9000');

    // Case 4: 61xx, then GET RESPONSE in pieces.
    expect(hex(user.process(encodeCommandApdu({ cla: 0xc0, ins: 0xe4, p1: 0, p2: 0, data: new Uint8Array(16), le: 4 })))).toBe('6A80');
    const challenge = fiscal.process(bytes('C0F0000010'));
    expect(challenge.length).toBe(18);
    expect(hex(user.process(Uint8Array.of(0xc0, 0xe4, 0, 0, 16, ...challenge.slice(0, 16), 4)))).toBe('6104');
    expect(hex(user.process(bytes('00C0000008')))).toBe('6C04');
    const first = user.process(bytes('00C0000002'));
    expect(sw(first)).toBe('6102');
    expect(sw(user.process(bytes('00C0000002')))).toBe('9000');
    expect(sw(user.process(bytes('00C0000002')))).toBe('6985');
    // Extended APDUs do not exist in T=0.
    expect(sw(user.process(bytes('00B0000000 0010')))).toBe('6700');
  });

  it('an inspection card answers its application and refuses the fiscal commands politely', () => {
    const card = createInspectionCard();
    expect(sw(card.process(Uint8Array.of(0x00, 0xa4, 0x04, 0x00, 7, ...applicationNameBytes('inspection'))))).toBe('9000');
    expect(sw(card.process(bytes('C0F0000010')))).toBe('6D00');
    expect(sw(card.process(bytes('C0E9000016')))).toBe('6D00');
  });

  it('never throw, whatever bytes arrive', () => {
    const { fiscal, user } = createMatchingCardSet({ transmission: 't0' });
    for (let n = 0; n < 2000; n += 1) {
      const length = n % 40;
      const apdu = Uint8Array.from({ length }, (_, i) => (n * 131 + i * 17 + (i === 0 ? 0xc0 : 0)) & 0xff);
      for (const card of [fiscal, user]) {
        const response = card.process(apdu);
        expect(response.length).toBeGreaterThanOrEqual(2);
      }
    }
  });
});
