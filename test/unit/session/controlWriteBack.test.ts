import { afterEach, describe, expect, it } from 'vitest';
import type { CommandHandler } from '../../../fixtures/simulator/CommandHandler.js';
import { controlWriteBackHandler } from '../../../fixtures/simulator/commands/controlCommands.js';
import { declareAndPay } from '../../../fixtures/simulator/declareAndPay.js';
import { ErCode, RegisterRefusal } from '../../../fixtures/simulator/RegisterRefusal.js';
import type { SimulatorContext } from '../../../fixtures/simulator/SimulatorContext.js';
import { CMD } from '../../../protocols/gb-link/index.js';
import { failureOf, startInitializedRegister, type InitializedRegister } from '../rolls/harness.js';

let current: InitializedRegister | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** Frame bytes of an OK answer with `data` bytes, and of an ER answer. */
const okFrame = (data: number) => 4 + data + 2;
const erFrame = 7;

/** The register's next `count` bytes towards the host never arrive. */
function dropNextReply(count: number): void {
  current!.reg.simulator.setFaults({ faults: [{ kind: 'drop', direction: 'tx', at: Array.from({ length: count }, (_, i) => i) }] });
}

/** A 40 whose behaviour the test decides; `runs` counts how often the register was asked. */
function control40(behave: (context: SimulatorContext, params: Uint8Array, run: number) => Promise<Uint8Array>) {
  const handler: CommandHandler & { runs: number } = {
    code: CMD.CONTROL_WRITE_BACK,
    runs: 0,
    handle(context, params) {
      handler.runs += 1;
      return behave(context, params, handler.runs);
    },
  };
  return handler;
}

async function declaredRegister(handler: CommandHandler) {
  current = await startInitializedRegister({ handlers: [handler] });
  const paid = declareAndPay(current.reg.simulator, { singleInvoiceLimit: 4_000_000 });
  return { ...current, paid };
}

describe('RegisterSession.controlWriteBack (GB link 40)', () => {
  it('answers the limits in force; the register verified its own PIN, updated the card and cleared its flag', async () => {
    const { session, reg, paid } = await declaredRegister(controlWriteBackHandler);
    const limits = await session.controlWriteBack();
    expect(limits).toEqual({
      issueDeadline: paid.controls.issueDeadline, singleInvoiceLimit: 4_000_000, cumulativeLimit: paid.controls.cumulativeLimit,
      returnLimit: paid.controls.returnLimit, taxIndex: [...paid.controls.taxIndex],
    });
    expect(reg.cards.fiscal.monitoring.singleInvoiceLimit).toBe(4_000_000);
    expect((await session.status())).toMatchObject({ awaitingControlUpdate: false, issueDeadline: paid.controls.issueDeadline });
    expect(reg.simulator.state.fiscal.pin?.current).toBe(Buffer.from(reg.cards.fiscal.currentPin).toString('hex'));
  });

  it('a reply lost after the register acted: read back as applied, never sent again', async () => {
    const handler = control40(async (context, params) => {
      const answer = await controlWriteBackHandler.handle(context, params);
      dropNextReply(okFrame(answer.length));
      return answer;
    });
    const { session, reg } = await declaredRegister(handler);
    const limits = await session.controlWriteBack();
    expect(handler.runs).toBe(1);
    expect(limits.singleInvoiceLimit).toBe(4_000_000);
    expect(reg.simulator.state.fiscal.declaredFlag).toBe(false);
  });

  it('a command that never took effect (flag set, fiscal EF01 unchanged) is sent once more', async () => {
    const handler = control40(async (context, params, run) => {
      if (run > 1) return controlWriteBackHandler.handle(context, params);
      dropNextReply(erFrame);
      throw new RegisterRefusal(ErCode.fiscalCardPower, 'lost before acting');
    });
    const { session, reg } = await declaredRegister(handler);
    await session.controlWriteBack();
    expect(handler.runs).toBe(2);
    expect(reg.simulator.state.fiscal.declaredFlag).toBe(false);
  });

  it('the card updated but the register still declared: LINK_IN_DOUBT with both pictures, not re-sent', async () => {
    const handler = control40(async (context, params) => {
      const answer = await controlWriteBackHandler.handle(context, params);
      context.state.fiscal.declaredFlag = true;
      dropNextReply(okFrame(answer.length));
      return answer;
    });
    const { session, reg } = await declaredRegister(handler);
    const before = reg.cards.fiscal.monitoring.singleInvoiceLimit;
    const failure = await failureOf(session.controlWriteBack());
    expect(handler.runs).toBe(1);
    expect(failure.code).toBe('LINK_IN_DOUBT');
    expect(failure.data.found).toMatchObject({
      declaredFlag: true, fiscalCardBefore: { singleInvoiceLimit: before }, fiscalCardNow: { singleInvoiceLimit: 4_000_000 },
    });
  });

  it('refusals keep their ER: not declared (42), declaration still on the user card (4F), public firmware (20)', async () => {
    current = await startInitializedRegister();
    expect((await failureOf(current.session.controlWriteBack())).data).toMatchObject({ erCode: ErCode.declarationFailed });
    current.reg.simulator.declare();
    expect((await failureOf(current.session.controlWriteBack())).code).toBe('LINK_DECLARATION_UNFINISHED');
    await current.close();
    const publicFirmware = control40(async () => { throw new RegisterRefusal(ErCode.unknownCommand, 'no 40'); });
    await declaredRegister(publicFirmware);
    expect((await failureOf(current.session.controlWriteBack())).code).toBe('LINK_UNKNOWN_COMMAND');
    expect(publicFirmware.runs).toBe(1);
  });
});
