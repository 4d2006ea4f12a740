import { describe, expect, it } from 'vitest';
import type { CardChannel } from '../../../contracts/CardChannel.js';
import { transceive } from '../../../protocols/apdu/transceive.js';
import { encodeCommandApdu } from '../../../protocols/apdu/CommandApdu.js';
import { buildCardCommand } from '../../../protocols/gb18240-card/CardCommand.js';
import { getRegisterNb, terminalRegister } from '../../../protocols/gb18240-card/fiscalCommands.js';
import { registerSign } from '../../../protocols/gb18240-card/userCommands.js';
import { selectByName } from '../../../protocols/gb18240-card/isoCommands.js';
import { cardApdu, cardPowerOn } from '../../../protocols/gb-link/payloads/card.js';
import { initialize, userInfo } from '../../../protocols/gb-link/payloads/taxpayer.js';
import { status } from '../../../protocols/gb-link/payloads/status.js';
import { recordCounts, factoryData } from '../../../protocols/gb-link/payloads/identity.js';
import { distributeInvoiceNumbers, inputInvoiceNumbers } from '../../../protocols/gb-link/payloads/rolls.js';
import { distributedRolls, invoicesByIndex } from '../../../protocols/gb-link/payloads/records.js';
import { ER } from '../../../protocols/gb-link/errorCodes.js';
import { createNewRegister, createRegisterWithHistory } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { VirtualClock } from '../../../fixtures/simulator/SimulatorClock.js';
import { HostLink } from './hostLink.js';

/** A register slot as a CardChannel through GB link 5B, as the gateway's RegisterSession offers it. */
function slotChannel(link: HostLink, slot: 'fiscal' | 'user'): CardChannel {
  return {
    description: { kind: 'register-slot', reader: `sim/${slot}` },
    transmit: (apdu) => link.call(cardApdu, { slot, apdu }),
    reset: () => link.call(cardPowerOn, { slot }),
  };
}

async function run<Res>(channel: CardChannel, apdu: ReturnType<typeof buildCardCommand>, decode: (data: Uint8Array) => Res): Promise<Res> {
  const response = await transceive(channel, apdu);
  expect(response.sw.toString(16)).toBe('9000');
  return decode(response.data);
}

describe('createSimulatedRegister', () => {
  it('a new register and its cards go through the whole initialization over GB link', async () => {
    const clock = new VirtualClock();
    const reg = await createNewRegister({ seed: 21, clock, timing: { timed: false } });
    await reg.transport.open();
    const link = new HostLink(reg.transport);
    const identity = await link.call(factoryData, undefined);
    expect(identity.machineNumber).toBe(reg.cards.fiscal.snapshot().personalization.machineNumber);
    const fiscal = slotChannel(link, 'fiscal');
    const user = slotChannel(link, 'user');
    await fiscal.reset();
    await user.reset();
    expect((await transceive(fiscal, encodeCommandApdu(selectByName('TSAM01')))).sw).toBe(0x9000);
    const challenge = await run(fiscal, buildCardCommand(getRegisterNb, undefined), (d) => getRegisterNb.decodeResponse(d));
    expect((await transceive(user, encodeCommandApdu(selectByName('TID01')))).sw).toBe(0x9000);
    const { mac2 } = await run(user, buildCardCommand(registerSign, challenge), (d) => registerSign.decodeResponse(d));
    const { pin } = await run(fiscal, buildCardCommand(terminalRegister, { mac2 }), (d) => terminalRegister.decodeResponse(d));
    const f = reg.cards.fiscal.snapshot().personalization;
    const u = reg.cards.user.snapshot().personalization;
    await link.call(initialize, {
      pin,
      taxpayerNumber: f.taxpayerNumber, taxpayerId: f.taxpayerId, taxpayerName: f.taxpayerName, officeCode: f.officeCode,
      fiscalCardNumber: f.cardNumber, userCardNumber: u.cardNumber, declarationMode: f.declarationMode,
      issueDeadline: f.monitoring.issueDeadline, singleInvoiceLimit: f.monitoring.singleInvoiceLimit,
      cumulativeLimit: f.monitoring.cumulativeLimit, returnLimit: f.monitoring.returnLimit, taxIndex: [...f.monitoring.taxIndex],
      applicationStartDate: f.applicationStart, validUntil: f.validUntil, initializationDate: '2026-01-05',
      taxItems: u.taxItems.map((t) => ({ ...t })),
    });
    expect((await link.call(status, undefined)).initialized).toBe(true);
    expect((await link.call(userInfo, undefined)).fiscalCardNumber).toBe(f.cardNumber);
    // The register verified the PIN with the card and keeps the rotated one.
    expect(reg.simulator.state.fiscal.pin!.original).toBe(Buffer.from(pin).toString('hex'));
    expect(reg.simulator.state.fiscal.pin!.current).toBe(reg.cards.fiscal.snapshot().state.pin);

    // A roll from the user card, then mounted on the fiscal card.
    const roll = await link.call(distributeInvoiceNumbers, undefined);
    expect(roll).toMatchObject({ start: 1 });
    expect((await link.call(distributedRolls, { from: 1, count: 10 }))[0]).toMatchObject({ ...roll, state: 'distributed' });
    await link.call(inputInvoiceNumbers, roll);
    expect((await link.call(distributedRolls, { from: 1, count: 10 }))[0]!.state).toBe('mounted');
    expect((await link.call(status, undefined)).currentRoll).toEqual({ invoiceCode: roll.invoiceCode, nextNumber: roll.start, endNumber: roll.end });
    expect(reg.simulator.internalErrors).toEqual([]);
    await reg.close();
  });

  it('an initialized register with history has a registered fiscal card that opens with its PIN', async () => {
    const clock = new VirtualClock();
    const reg = await createRegisterWithHistory({ seed: 22, clock, timing: { timed: false }, history: { days: 40, invoicesPerDay: 6 } });
    await reg.transport.open();
    const link = new HostLink(reg.transport);
    const counts = await link.call(recordCounts, undefined);
    expect(counts.invoices).toBe(reg.history!.invoices);
    expect(counts.dailyRecords).toBe(40);
    expect((await link.call(invoicesByIndex, { from: 1, count: 5000 })).length).toBe(counts.invoices);
    expect(reg.cards.fiscal.registered).toBe(true);
    expect(reg.cards.fiscal.snapshot().state.pin).toBe(reg.simulator.state.fiscal.pin!.current);
    // The user card still holds a roll to distribute: the register takes it and mounts it with the PIN it keeps.
    const roll = await link.call(distributeInvoiceNumbers, undefined);
    await link.call(inputInvoiceNumbers, roll);
    expect(reg.simulator.state.fiscal.pin!.current).toBe(reg.cards.fiscal.snapshot().state.pin);
    expect(await link.request(initialize.code, new Uint8Array(0))).toMatchObject({ kind: 'error', code: ER.BAD_LENGTH });
    await reg.close();
  });
});

describe('live operation through the fiscal card in the slot', () => {
  it('issues invoices and signs the day with the card, keeping the PIN in step', async () => {
    const clock = new VirtualClock();
    const reg = await createRegisterWithHistory({ seed: 23, clock, timing: { timed: false }, history: { days: 20, invoicesPerDay: 4 } });
    const before = reg.simulator.state.fiscal.invoices.length;
    const roll = { ...reg.simulator.memory.currentRoll()! };
    const sale = reg.simulator.issueInvoice({ kind: 'normal', lines: [{ taxIndex: 1, amount: 1234 }, { taxIndex: 2, amount: 66 }] });
    expect(sale).toMatchObject({ number: roll.next, total: 1300, invoiceCode: roll.invoiceCode });
    expect(reg.simulator.state.fiscal.invoices).toHaveLength(before + 1);
    expect(reg.cards.fiscal.snapshot().state.accumulation.validTotal).toBe(1300);
    expect(reg.simulator.state.fiscal.pin!.current).toBe(reg.cards.fiscal.snapshot().state.pin);
    clock.advance(86_400_000);
    const [daily] = reg.simulator.signDays();
    expect(daily).toMatchObject({ validCount: 1, validAmounts: [1234, 66, 0, 0, 0, 0] });
    reg.simulator.removeCard('fiscal');
    expect(() => reg.simulator.issueInvoice({ kind: 'void', lines: [] })).toThrow(expect.objectContaining({ code: 0x02 }));
    await reg.close();
  });
});
