import { describe, expect, it } from 'vitest';
import { createInspectionCard, createMatchingCardSet, strictFiscalCardProfiles, VirtualCardChannel } from '../../../fixtures/cards/index.js';
import { cardReportSchema } from '../../../src/services/cards/CardReport.js';
import { readCard } from '../../../src/services/cards/readCard.js';
import { cardRows } from '../../../src/cli/commands/cardLabels.js';
import { money, rate } from '../../../src/services/common/money.js';
import type { CardChannel } from '../../../contracts/CardChannel.js';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';

describe('readCard', () => {
  it('decodes a fiscal card for people, with no PIN tries before registration', async () => {
    const set = createMatchingCardSet({ today: '2026-03-01' });
    const report = cardReportSchema.parse(await readCard(new VirtualCardChannel(set.fiscal, 'reader A')));
    expect(report.kind).toBe('fiscal');
    expect(report.reader).toBe('reader A');
    expect(report.fiscal).toMatchObject({
      cardNumber: '4403100000000001',
      machineNumber: '4403000012345678',
      taxpayer: { number: '4403010000123456', id: '91440300MA5EXAMPLE', name: '深圳市示例商贸有限公司' },
      applicationStart: '2025-03-01',
      registration: 'not-registered',
      registrationDetail: { flag: '00', flagReading: 'registered-is-01', signs: ['holds-no-pin'] },
      monitoring: { issueDeadline: '2026-03-31', singleInvoice: { fen: 1_000_000, yuan: '10000.00' }, taxIndex: [1, 2, 3, 0, 0, 0] },
      pinTries: { known: false, reason: 'not-registered', sw: '6901' },
    });
    expect(report.problems).toEqual([]);
  });

  it('shows the PIN tries left of a registered fiscal card without spending one', async () => {
    const set = createMatchingCardSet({ defect: 'fiscal-already-registered' });
    const first = await readCard(new VirtualCardChannel(set.fiscal));
    const second = await readCard(new VirtualCardChannel(set.fiscal));
    expect(first.fiscal?.pinTries).toEqual({ known: true, left: 3, source: 'query' });
    expect(second.fiscal?.pinTries).toEqual({ known: true, left: 3, source: 'query' });
    expect(set.fiscal.pinTriesLeft).toBe(3);
  });

  // Issue 10 item 0: the old query (F9 without data) cost a try on a card that counts every F9: 3 reads locked it.
  for (const profile of strictFiscalCardProfiles) {
    it(`reads a registered ${profile} card five times without spending a try, and never sends F9`, async () => {
      const set = createMatchingCardSet({ defect: 'fiscal-already-registered', profile });
      const sent: string[] = [];
      const channel = new VirtualCardChannel(set.fiscal);
      const watched: CardChannel = { description: channel.description, reset: () => channel.reset(), async transmit(apdu) {
        sent.push(Buffer.from(apdu).toString('hex').toUpperCase());
        return channel.transmit(apdu);
      } };
      for (let i = 0; i < 5; i += 1) {
        const report = await readCard(watched);
        expect(report.fiscal?.pinTries).toEqual({ known: true, left: 3, source: 'query' });
        expect(set.fiscal.pinTriesLeft).toBe(3);
      }
      expect(sent.filter((apdu) => apdu.startsWith('C0F9'))).toEqual([]);
      expect(sent.filter((apdu) => apdu.startsWith('0020'))).toEqual(Array(5).fill('00200000'));
    });
  }

  it('shows the tries unknown, not guessed, on a card that does not answer the ISO query; reading spends nothing', async () => {
    for (const profile of ['strict-no-query', 'lenient'] as const) {
      const set = createMatchingCardSet({ defect: 'fiscal-already-registered', profile });
      for (let i = 0; i < 3; i += 1) {
        const report = await readCard(new VirtualCardChannel(set.fiscal));
        expect(report.fiscal?.pinTries).toEqual({ known: false, reason: 'not-told', sw: '6D00' });
      }
      expect(set.fiscal.pinTriesLeft).toBe(3);
    }
  });

  // Issue 10 item 0: a card of the other flag reading (blank = 01) was shown "registered" before registration.
  it('decides the registration on the card\'s signs, not the flag byte: the other flag reading, blank and registered', async () => {
    const blank = createMatchingCardSet({ profile: 'strict-other-flag' });
    const before = await readCard(new VirtualCardChannel(blank.fiscal));
    expect(before.fiscal).toMatchObject({
      registration: 'not-registered', registrationDetail: { flag: '01', flagReading: 'registered-is-00', signs: ['holds-no-pin'] },
    });
    const registered = createMatchingCardSet({ profile: 'strict-other-flag', defect: 'fiscal-already-registered' });
    const after = await readCard(new VirtualCardChannel(registered.fiscal));
    expect(after.fiscal).toMatchObject({
      registration: 'registered', registrationDetail: { flag: '00', flagReading: 'registered-is-00', signs: ['holds-pin'] },
      pinTries: { known: true, left: 3 },
    });
    expect(registered.fiscal.pinTriesLeft).toBe(3);
  });

  it('shows a card that gives no sign beyond its flag as uncertain (不确定), in both languages', async () => {
    const set = createMatchingCardSet({ profile: 'strict-no-query' });
    const report = await readCard(new VirtualCardChannel(set.fiscal));
    expect(report.fiscal).toMatchObject({ registration: 'uncertain', registrationDetail: { flag: '00', flagReading: null, uncertainBecause: 'no-sign' } });
    const zh = cardRows(report, 'zh-CN').find(([label]) => label === '注册状态');
    expect(zh?.[1]).toMatch(/^不确定/);
    expect(zh?.[1]).not.toMatch(/[A-Za-z]/);
    expect(cardRows(report, 'en').find(([label]) => label === 'Registration')?.[1]).toMatch(/^uncertain/);
    expect(cardRows(report, 'zh-CN').find(([label]) => label === '口令剩余次数')?.[1]).toBe('未知（卡片不告知）');
  });

  it('decodes a user card: tax items with rates in %, limits in yuan, machines, rolls', async () => {
    const set = createMatchingCardSet({ today: '2026-03-01' });
    const report = cardReportSchema.parse(await readCard(new VirtualCardChannel(set.user)));
    expect(report.kind).toBe('user');
    expect(report.user?.taxItems[0]).toEqual({ index: 1, itemCode: '01010100', rate: { basisPoints: 1300, percent: '13.00' }, nameZh: '商品销售', nameEn: 'Goods' });
    expect(report.user?.controls).toEqual([{
      fiscalCardNumber: '4403100000000001', keyId: 1, issueDeadline: '2026-03-31',
      singleInvoice: money(1_000_000), cumulative: money(10_000_000), returns: money(500_000), taxIndex: [1, 2, 3, 0, 0, 0],
    }]);
    expect(report.user?.machines).toEqual([{ machineNumber: '4403000012345678', fiscalCardNumber: '4403100000000001' }]);
    expect(report.user?.purchasedRolls).toEqual([{ invoiceCode: '00000000144030012345', start: 1, end: 500, rollCount: 5 }]);
    expect(report.user?.pendingDeclarations).toEqual([]);
    expect(report.user?.lastDistributedRoll).toBeNull();
  });

  it('recognizes an inspection card and reports T=0 cards the same way', async () => {
    const report = await readCard(new VirtualCardChannel(createInspectionCard({ holderName: '张三' })));
    expect(report.kind).toBe('inspection');
    expect(report.inspection?.holderName).toBe('张三');
    const t0 = createMatchingCardSet({ transmission: 't0' });
    expect((await readCard(new VirtualCardChannel(t0.user))).user?.taxItems).toHaveLength(3);
  });

  it('answers the channel error when there is no card', async () => {
    const error = await readCard(new VirtualCardChannel(undefined, 'empty')).catch((e: unknown) => e);
    expect(isGatewayError(error, 'CARD_REMOVED')).toBe(true);
  });

  it('formats fen as yuan and hundredths of a percent as percent', () => {
    expect(money(0).yuan).toBe('0.00');
    expect(money(5).yuan).toBe('0.05');
    expect(money(123456789).yuan).toBe('1234567.89');
    expect(rate(600).percent).toBe('6.00');
    expect(rate(5).percent).toBe('0.05');
  });
});

describe('readCard when a part fails', () => {
  /** A channel over a virtual card that answers `sw` to READ BINARY of one EF (selected by FID), or loses the link there. */
  function failingAt(fid: number, failure: { sw: number } | { lost: true }): CardChannel {
    const inner = new VirtualCardChannel(createMatchingCardSet({ today: '2026-03-01' }).fiscal, 'reader F');
    let selected = -1;
    return {
      description: inner.description,
      reset: () => inner.reset(),
      async transmit(apdu) {
        if (apdu[1] === 0xa4 && apdu[2] === 0x00) selected = (apdu[5]! << 8) | apdu[6]!;
        if (apdu[1] === 0xb0 && selected === fid) {
          if ('lost' in failure) throw new GatewayError('LINK_TIMEOUT', { params: { command: '5B', ms: 500 } });
          return Uint8Array.of(failure.sw >> 8, failure.sw & 0xff);
        }
        return inner.transmit(apdu);
      },
    };
  }

  it('names the required file the card refused (EF01, not always EF02)', async () => {
    const report = await readCard(failingAt(0xef01, { sw: 0x6a82 }));
    expect(report.kind).toBe('fiscal');
    expect(report.fiscal).toBeUndefined();
    expect(report.problems.map((p) => p.part)).toEqual(['EF01']);
  });

  it('fails with the link error when the register link is lost mid-read, instead of a report with a hole', async () => {
    const error = await readCard(failingAt(0xef01, { lost: true })).catch((e: unknown) => e);
    expect(isGatewayError(error, 'LINK_TIMEOUT')).toBe(true);
  });
});
