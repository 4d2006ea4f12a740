import { describe, expect, it } from 'vitest';
import { verifySignature } from '../../../fixtures/cards/index.js';
import { dailyTotalsLayout, encodeLayout, type DeclarationBlock } from '../../../protocols/gb18240-card/index.js';
import { cardSessions, rejection, register } from './helpers.js';

const zeros = [0, 0, 0, 0, 0, 0];

async function operational(options: Parameters<typeof cardSessions>[0] = {}) {
  const s = cardSessions(options);
  let pin = await register(s);
  pin = await s.fiscal.verifyFiscalPin(pin);
  return { ...s, pin };
}

describe.each(['t1', 't0'] as const)('CardSession operations over %s', (transmission) => {
  it('reads and decodes every EF of both cards', async () => {
    const s = await operational({ transmission });
    expect(await s.fiscal.readFiscalMonitoring()).toMatchObject({ singleInvoiceLimit: 1_000_000, taxIndex: [1, 2, 3, 0, 0, 0] });
    expect(await s.fiscal.readFiscalAccumulation()).toMatchObject({ validTotal: 0, lastSignedDate: null });
    expect(await s.fiscal.readFiscalDeclarations()).toEqual([]);
    expect(await s.fiscal.readFiscalRolls()).toEqual([]);
    const controls = await s.user.readUserControls();
    expect(controls).toHaveLength(1);
    expect(controls[0]).toMatchObject({ fiscalCardNumber: '4403100000000001', keyId: 1 });
    expect((await s.user.readUserTaxItems()).map((t) => t.nameZh)).toEqual(['商品销售', '现代服务', '餐饮服务']);
    expect(await s.user.readUserMachines()).toEqual([{ machineNumber: s.set.machineNumber, fiscalCardNumber: '4403100000000001', tag: 0 }]);
    expect(await s.user.readUserPurchasedRolls()).toEqual([{ invoiceCode: '00000000144030012345', start: 1, end: 500, rollCount: 5 }]);
    expect(await s.user.readUserDeclarations()).toEqual([]);
    expect(await s.user.readUserLastDistributedRoll()).toBeNull();
  });

  it('distributes a roll, inputs it, and issues invoices under the limits', async () => {
    const s = await operational({ transmission });
    const roll = await s.user.distributeInvoiceNb();
    expect(roll).toMatchObject({ invoiceCode: '00000000144030012345', start: 1, end: 100 });
    expect(await s.user.readUserLastDistributedRoll()).toEqual(roll);
    expect(await s.user.readUserPurchasedRolls()).toEqual([{ invoiceCode: '00000000144030012345', start: 101, end: 500, rollCount: 4 }]);
    await s.fiscal.inputInvoiceNb(roll);
    expect(await s.fiscal.readFiscalRolls()).toEqual([{ flag: 0, invoiceCode: roll.invoiceCode, start: 1, end: 100 }]);
    expect((await rejection(s.fiscal.inputInvoiceNb(roll))).code).toBe('CARD_WRONG_DATA');

    const invoice = { date: s.set.today, type: 'normal' as const, invoiceNumber: 1, lines: [{ taxIndex: 1, amount: 12_345 }], total: 12_345 };
    const issued = await s.fiscal.issueInvoice(invoice);
    expect(issued.fiscalCode).toHaveLength(8);
    expect(issued.fiscalCodeDigits).toMatch(/^\d{20}$/);
    expect(await s.fiscal.readFiscalAccumulation()).toMatchObject({ validCount: 1, validTotal: 12_345, validAmounts: [12_345, 0, 0, 0, 0, 0] });

    const overSingle = await rejection(s.fiscal.issueInvoice({ ...invoice, invoiceNumber: 2, lines: [{ taxIndex: 1, amount: 1_000_001 }], total: 1_000_001 }));
    expect(overSingle.code).toBe('CARD_LIMIT_EXCEEDED');
    expect(overSingle.data.sw).toBe('9401');
    const unknownIndex = await rejection(s.fiscal.issueInvoice({ ...invoice, invoiceNumber: 2, lines: [{ taxIndex: 5, amount: 1 }], total: 1 }));
    expect(unknownIndex.code).toBe('CARD_WRONG_DATA');
    const noRoll = await rejection(s.fiscal.issueInvoice({ ...invoice, invoiceNumber: 101 }));
    expect(noRoll.code).toBe('CARD_WRONG_DATA');
    const afterDeadline = await rejection(s.fiscal.issueInvoice({ ...invoice, invoiceNumber: 2, date: '2099-01-01' }));
    expect(afterDeadline.code).toBe('CARD_ISSUE_NOT_ALLOWED');
  });

  it('stops distributing with CARD_NO_ROLL_TO_DISTRIBUTE when the user card is empty', async () => {
    const s = await operational({ transmission, user: { rolls: [{ invoiceCode: '00000000144030012345', start: 1, end: 10, rollCount: 2 }] } });
    expect(await s.user.distributeInvoiceNb()).toMatchObject({ start: 1, end: 5 });
    expect(await s.user.distributeInvoiceNb()).toMatchObject({ start: 6, end: 10 });
    const none = await rejection(s.user.distributeInvoiceNb());
    expect(none.code).toBe('CARD_NO_ROLL_TO_DISTRIBUTE');
    expect(none.data.sw).toBe('9401');
  });

  it('declares totals that each fit 32 bits even when together they do not, and refuses one that does not fit', async () => {
    const s = await operational({ transmission });
    const block: DeclarationBlock = {
      periodStart: s.set.today, periodEnd: s.set.today, validCount: 2, returnCount: 1, voidCount: 0, taxIndex: [1, 2, 0, 0, 0, 0],
      validAmounts: [2_000_000_000, 1_000_000_000, 0, 0, 0, 0], returnAmounts: [2_000_000_000, 0, 0, 0, 0, 0],
    };
    expect(await s.fiscal.declareDuty(block)).toMatchObject({ validTotal: 3_000_000_000, returnTotal: 2_000_000_000 });
    const tooMuch = { ...block, periodStart: '2099-01-01', periodEnd: '2099-01-01', validAmounts: [0xffffffff, 1, 0, 0, 0, 0] };
    expect((await rejection(s.fiscal.declareDuty(tooMuch))).code).toBe('CARD_WRONG_DATA');
  });

  it('signs a day, declares, collects the declaration on the user card and updates the controls', async () => {
    const s = await operational({ transmission });
    const totals = {
      date: s.set.today, validCount: 3, returnCount: 1, voidCount: 0, taxIndex: [1, 2, 3, 0, 0, 0],
      validAmounts: [100, 200, 300, 0, 0, 0], returnAmounts: [50, 0, 0, 0, 0, 0],
    };
    const signature = await s.fiscal.dailyCollectSign(totals);
    expect(signature).toHaveLength(128);
    expect(verifySignature(s.set.fiscal.publicKeyPem, encodeLayout(dailyTotalsLayout, totals), signature)).toBe(true);
    expect((await rejection(s.fiscal.dailyCollectSign(totals))).code).toBe('CARD_WRONG_DATA');

    const block: DeclarationBlock = {
      periodStart: s.set.today, periodEnd: s.set.today, validCount: 3, returnCount: 1, voidCount: 0,
      taxIndex: [1, 2, 3, 0, 0, 0], validAmounts: [100, 200, 300, 0, 0, 0], returnAmounts: [50, ...zeros.slice(1)],
    };
    const result = await s.fiscal.declareDuty(block);
    expect(result).toMatchObject({ validTotal: 600, returnTotal: 50, status: 0 });
    expect(result.signature).toHaveLength(128);
    // Declaring the same block again (re-declaration of the last record) answers the same bytes.
    expect(await s.fiscal.declareDuty(block)).toEqual(result);
    expect(await s.fiscal.readFiscalDeclarations()).toHaveLength(1);

    await s.user.dataCollect({ fiscalCardNumber: '4403100000000001', declaration: block, result });
    const collected = await s.user.readUserDeclarations();
    expect(collected).toHaveLength(1);
    expect(collected[0]).toMatchObject({ flag: 1, fiscalCardNumber: '4403100000000001', declaration: block });
    const forged = { ...result, mac1: Uint8Array.of(0, 0, 0, 0) };
    expect((await rejection(s.user.dataCollect({ fiscalCardNumber: '4403100000000001', declaration: block, result: forged }))).code).toBe('CARD_MAC_MISMATCH');

    s.set.user.taxOfficeAcceptDeclarations();
    // A DATA_COLLECT re-sent after the tax office took the declaration adds no second, pending record.
    await s.user.dataCollect({ fiscalCardNumber: '4403100000000001', declaration: block, result });
    expect((await s.user.readUserDeclarations()).map((d) => d.flag)).toEqual([0]);
    s.set.user.taxOfficeIssueControls({
      fiscalCardNumber: '4403100000000001', issueDeadline: '2099-12-31', singleInvoiceLimit: 2_000_000, cumulativeLimit: 20_000_000,
      returnLimit: 900_000, taxIndex: [1, 2, 0, 0, 0, 0], flags: 1,
    });
    expect((await s.user.readUserDeclarations())[0]!.flag).toBe(0);
    const [record] = await s.user.readUserControls();
    await s.fiscal.updateControls(record!);
    expect(await s.fiscal.readFiscalMonitoring()).toEqual({
      issueDeadline: '2099-12-31', singleInvoiceLimit: 2_000_000, cumulativeLimit: 20_000_000, returnLimit: 900_000,
      taxIndex: [1, 2, 0, 0, 0, 0], detailMode: 1,
    });
    const tampered = { ...record!, controls: { ...record!.controls, cumulativeLimit: 99_000_000 } };
    expect((await rejection(s.fiscal.updateControls(tampered))).code).toBe('CARD_MAC_MISMATCH');
    expect((await rejection(s.fiscal.updateControls({ ...record!, keyId: 2 }))).code).toBe('CARD_KEY_VERSION');
  });
});
