import { afterEach, describe, expect, it } from 'vitest';
import { VirtualUserCard } from '../../../fixtures/cards/VirtualUserCard.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { declareAndPay } from '../../../fixtures/simulator/declareAndPay.js';
import { ErCode } from '../../../fixtures/simulator/RegisterRefusal.js';
import { controlWriteBack } from '../../../protocols/gb-link/payloads/controlWriteBack.js';
import { status } from '../../../protocols/gb-link/payloads/status.js';
import { HostLink, RegisterAnswerError } from './hostLink.js';

let reg: SimulatedRegister | undefined;
afterEach(async () => {
  await reg?.close();
  reg = undefined;
});

async function start(): Promise<{ reg: SimulatedRegister; link: HostLink }> {
  reg = await createSimulatedRegister({ seed: 5, history: { days: 40, invoicesPerDay: 2 }, timing: { timed: false } });
  await reg.transport.open();
  return { reg, link: new HostLink(reg.transport) };
}

async function refusal(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RegisterAnswerError) return error.code;
    throw error;
  }
  throw new Error('the register answered OK');
}

const pinOf = (r: SimulatedRegister) => r.simulator.state.fiscal.pin!.current;

describe('simulated register: 40 control write-back', () => {
  it('after a paid declaration: PIN verified and rotated, UPDATE_CONTROLS with the user card record, limits in force, flag cleared', async () => {
    const { reg, link } = await start();
    reg.simulator.issueInvoice({ kind: 'normal', lines: [{ taxIndex: 1, amount: 500 }] });
    const paid = declareAndPay(reg.simulator, { singleInvoiceLimit: 1_234_500, returnLimit: 77_000 });
    expect((await link.call(status, undefined)).awaitingControlUpdate).toBe(true);
    const pinBefore = pinOf(reg);
    const answer = await link.call(controlWriteBack, undefined);
    expect(answer).toEqual({
      issueDeadline: paid.controls.issueDeadline, singleInvoiceLimit: 1_234_500, cumulativeLimit: paid.controls.cumulativeLimit,
      returnLimit: 77_000, taxIndex: [...paid.controls.taxIndex],
    });
    expect(reg.cards.fiscal.monitoring).toMatchObject({ singleInvoiceLimit: 1_234_500, returnLimit: 77_000, issueDeadline: paid.controls.issueDeadline });
    expect(reg.simulator.state.fiscal).toMatchObject({
      declaredFlag: false, accumulated: { validAmount: 0, returnAmount: 0 },
      limits: { singleInvoiceLimit: 1_234_500, returnLimit: 77_000, issueDeadline: paid.controls.issueDeadline.replaceAll('-', '') },
    });
    expect(pinOf(reg)).not.toBe(pinBefore);
    expect(pinOf(reg)).toBe(Buffer.from(reg.cards.fiscal.currentPin).toString('hex'));
    expect(await link.call(status, undefined)).toMatchObject({ awaitingControlUpdate: false, issueDeadline: paid.controls.issueDeadline });
    expect(reg.simulator.internalErrors).toEqual([]);
  });

  it('refuses without a declaration (ER 42) and while the user card still holds it (ER 4F), changing nothing', async () => {
    const { reg, link } = await start();
    expect(await refusal(link.call(controlWriteBack, undefined))).toBe(ErCode.declarationFailed);
    const declaration = reg.simulator.declare();
    expect(declaration.end).toBe(reg.simulator.state.fiscal.dailyRecords.at(-1)!.date);
    const pin = pinOf(reg);
    const monitoring = { ...reg.cards.fiscal.monitoring };
    expect(await refusal(link.call(controlWriteBack, undefined))).toBe(ErCode.unfinishedDeclaration);
    expect(reg.simulator.state.fiscal.declaredFlag).toBe(true);
    expect(pinOf(reg)).toBe(pin);
    expect(reg.cards.fiscal.monitoring).toEqual(monitoring);
  });

  it('refuses a user card without this fiscal card\'s control record (ER 5A) and a missing user card (ER 07)', async () => {
    const { reg, link } = await start();
    declareAndPay(reg.simulator);
    const snapshot = reg.cards.user.snapshot();
    const bare = VirtualUserCard.restore({ ...snapshot, state: { ...snapshot.state, controls: [] } });
    reg.simulator.insertCard('user', bare);
    expect(await refusal(link.call(controlWriteBack, undefined))).toBe(ErCode.userCardLacksFiscalCard);
    reg.simulator.removeCard('user');
    expect(await refusal(link.call(controlWriteBack, undefined))).toBe(ErCode.userCardAbsent);
    expect(reg.simulator.state.fiscal.declaredFlag).toBe(true);
  });

  it('a PIN the fiscal card refuses is ER 18: no update, the flag stays set', async () => {
    const { reg, link } = await start();
    declareAndPay(reg.simulator, { singleInvoiceLimit: 999 });
    reg.simulator.memory.setPin('0000000000000000');
    expect(await refusal(link.call(controlWriteBack, undefined))).toBe(ErCode.pinCheckFailed);
    expect(reg.simulator.state.fiscal.declaredFlag).toBe(true);
    expect(reg.cards.fiscal.monitoring.singleInvoiceLimit).not.toBe(999);
  });
});

describe('a seeded register that has just declared and been paid', () => {
  it('history.declaredAndPaid: declared flag set, declaration taken off the user card, new controls on it; 40 then runs', async () => {
    reg = await createSimulatedRegister({ seed: 6, history: { days: 30, invoicesPerDay: 2, declaredAndPaid: true }, timing: { timed: false } });
    await reg.transport.open();
    const link = new HostLink(reg.transport);
    const st = await link.call(status, undefined);
    expect(st.awaitingControlUpdate).toBe(true);
    expect(st.lastDeclarationEnd).toBe(st.lastSignedDay);
    const answer = await link.call(controlWriteBack, undefined);
    expect(answer.issueDeadline > st.issueDeadline!).toBe(true);
    expect((await link.call(status, undefined)).awaitingControlUpdate).toBe(false);
  });
});
