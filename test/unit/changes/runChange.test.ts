import { afterEach, describe, expect, it } from 'vitest';
import { changeRequestSchema } from '../../../src/services/changes/changeRequest.js';
import { changeStages, runChange } from '../../../src/services/changes/runChange.js';
import { failureOf, RecordingReporter, startInitializedRegister, type InitializedRegister } from '../rolls/harness.js';
import type { CommandHandler } from '../../../fixtures/simulator/CommandHandler.js';
import { controlWriteBackHandler } from '../../../fixtures/simulator/commands/controlCommands.js';
import { ErCode, RegisterRefusal } from '../../../fixtures/simulator/RegisterRefusal.js';
import { CMD } from '../../../protocols/gb-link/index.js';

let current: InitializedRegister | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

const parse = (body: unknown) => changeRequestSchema.parse(body);

/** The tax office takes the declaration off the user card and writes new control data for this fiscal card. */
function taxOfficeCompletes(reg: InitializedRegister['reg'], issueDeadline: string, singleInvoiceLimit: number): void {
  const fiscal = reg.cards.fiscal.snapshot().personalization;
  reg.cards.user.taxOfficeAcceptDeclarations();
  reg.cards.user.taxOfficeIssueControls({
    fiscalCardNumber: fiscal.cardNumber, issueDeadline, singleInvoiceLimit, cumulativeLimit: 900_000_000, returnLimit: 50_000_000,
    taxIndex: [...fiscal.monitoring.taxIndex], flags: 0,
  });
}

function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

describe('registration change requests', () => {
  it('validates each kind on its own and refuses unknown kinds and fields', () => {
    expect(parse({ kind: 'basic-info', taxpayerName: '新名称餐饮有限公司' }).kind).toBe('basic-info');
    expect(parse({ kind: 'monitoring-data' })).toEqual({ kind: 'monitoring-data', allowLastPinTry: false });
    expect(changeRequestSchema.safeParse({ kind: 'basic-info' }).success).toBe(false);
    expect(changeRequestSchema.safeParse({ kind: 'installation-info', location: 'x' }).success).toBe(false);
    expect(changeRequestSchema.safeParse({ kind: 'invoice-approval', approvalNumber: 'A1', invoiceTypes: [] }).success).toBe(false);
    expect(changeRequestSchema.safeParse({ kind: 'tax-registration', taxRegistrationNumber: '1', pin: '00' }).success).toBe(false);
    expect(changeRequestSchema.safeParse({ kind: 'rename' }).success).toBe(false);
  });
});

describe('registration changes on an initialized register', () => {
  it('basic info: the new name goes through GB link 62, is read back, and the rest is recorded with before/after', async () => {
    current = await startInitializedRegister();
    const reporter = new RecordingReporter();
    const result = await runChange(current.session, parse({ kind: 'basic-info', taxpayerName: '深圳市新名称有限公司', address: '深圳市南山区一路1号' }), reporter);
    expect(reporter.stages).toEqual(changeStages.map((s) => s.id));
    expect(result.register).toBe('gb-link-62');
    expect((await current.session.userInfo()).taxpayerName).toBe('深圳市新名称有限公司');
    expect(current.reg.simulator.state.fiscal.initializations.at(-1)?.kind).toBe('update-taxpayer');
    expect(reporter.before).toMatchObject({ register: { taxpayerName: expect.not.stringMatching('深圳市新名称有限公司') } });
    expect(reporter.after).toMatchObject({ register: { taxpayerName: '深圳市新名称有限公司' }, recorded: { address: '深圳市南山区一路1号' } });
  });

  it('tax registration number: a new competent office through 62; the same fields again send nothing', async () => {
    current = await startInitializedRegister();
    const first = await runChange(current.session, parse({ kind: 'tax-registration', taxRegistrationNumber: '粤税字 440300123', officeCode: 44030500 }), new RecordingReporter());
    expect(first.register).toBe('gb-link-62');
    expect((await current.session.userInfo()).officeCode).toBe(44030500);
    const records = current.reg.simulator.state.fiscal.initializations.length;
    const again = await runChange(current.session, parse({ kind: 'tax-registration', taxRegistrationNumber: '粤税字 440300123', officeCode: 44030500 }), new RecordingReporter());
    expect(again.register).toBe('unchanged');
    expect(current.reg.simulator.state.fiscal.initializations).toHaveLength(records);
  });

  it('refuses any change to a register this gateway deregistered, until it is initialized again', async () => {
    current = await startInitializedRegister();
    const deregistered = { id: 7, at: '2026-11-20T09:00:00.000Z', action: 'deregister', result: 'succeeded', after: {} };
    const error = await failureOf(runChange(current.session, parse({ kind: 'basic-info', taxpayerName: '深圳市新名称有限公司' }), new RecordingReporter(), undefined, [deregistered]));
    expect(error.code).toBe('CHANGE_REGISTER_DEREGISTERED');
    expect((await current.session.userInfo()).taxpayerName).not.toBe('深圳市新名称有限公司');
    const reinitialized = { id: 8, at: '2026-11-21T09:00:00.000Z', action: 'initialize', result: 'succeeded', after: {} };
    const result = await runChange(current.session, parse({ kind: 'basic-info', taxpayerName: '深圳市新名称有限公司' }), new RecordingReporter(), undefined, [deregistered, reinitialized]);
    expect(result.register).toBe('gb-link-62');
  });

  it('refuses a change of the taxpayer identification number with the instruction to deregister and initialize again', async () => {
    current = await startInitializedRegister();
    const records = current.reg.simulator.state.fiscal.initializations.length;
    const failure = await failureOf(runChange(current.session, parse({ kind: 'tax-registration', taxRegistrationNumber: 'X', taxpayerId: '91440300MA5FZZZZ9Z' }), new RecordingReporter()));
    expect(failure.code).toBe('CHANGE_TAXPAYER_ID_CHANGE');
    expect((failure as unknown as { remedy(l: string): string }).remedy('en')).toMatch(/deregister/);
    expect((failure as unknown as { localized(l: string): string }).localized('zh-CN')).toMatch(/纳税人识别号不能变更/);
    expect(current.reg.simulator.state.fiscal.initializations).toHaveLength(records);
  });

  it('installation info and invoice approval reach no register field; approval says where each limit stands', async () => {
    current = await startInitializedRegister();
    const install = await runChange(current.session, parse({ kind: 'installation-info', location: '收银台 2', installer: '张工' }), new RecordingReporter());
    expect(install.register).toBe('record-only');
    expect(install.after).toMatchObject({ recorded: { location: '收银台 2', installer: '张工' } });
    const limit = (await current.session.status()) && current.reg.cards.fiscal.snapshot().personalization.monitoring.singleInvoiceLimit;
    const approval = await runChange(current.session, parse({
      kind: 'invoice-approval', approvalNumber: 'SP-2026-1', invoiceTypes: ['通用机打发票'], singleInvoiceLimit: limit, returnLimit: 1,
    }), new RecordingReporter());
    expect(approval.register).toBe('record-only');
    expect(approval.notes.join('\n')).toMatch(/singleInvoiceLimit .* in force/);
    expect(approval.notes.join('\n')).toMatch(/returnLimit 1 fen is on neither card/);
  });
});

describe('monitoring data: the control update (监控数据更新)', () => {
  it('refuses without the declared flag', async () => {
    current = await startInitializedRegister();
    expect((await failureOf(runChange(current.session, parse({ kind: 'monitoring-data' }), new RecordingReporter()))).code).toBe('CHANGE_NOT_DECLARED');
  });

  it('refuses while the user card still holds this fiscal card\'s declaration, then updates once the tax office has taken it', async () => {
    current = await startInitializedRegister();
    const { reg, session } = current;
    const declaration = reg.simulator.declare();
    const periodEnd = `${declaration.end.slice(0, 4)}-${declaration.end.slice(4, 6)}-${declaration.end.slice(6, 8)}`;
    expect((await session.status()).awaitingControlUpdate).toBe(true);
    const refused = await failureOf(runChange(session, parse({ kind: 'monitoring-data' }), new RecordingReporter()));
    expect(refused.code).toBe('CHANGE_DECLARATION_ON_USER_CARD');
    expect(refused.params).toMatchObject({ periodEnd });
    expect(reg.simulator.state.fiscal.declaredFlag).toBe(true);

    const deadline = addDays(periodEnd, 60);
    taxOfficeCompletes(reg, deadline, 2_000_000);
    const reporter = new RecordingReporter();
    const result = await runChange(session, parse({ kind: 'monitoring-data' }), reporter);
    expect(result.register).toBe('gb-link-40');
    expect(reg.simulator.state.fiscal.declaredFlag).toBe(false);
    expect(reg.simulator.state.fiscal.limits).toMatchObject({ issueDeadline: deadline.replaceAll('-', ''), singleInvoiceLimit: 2_000_000 });
    expect((await session.status()).issueDeadline).toBe(deadline);
    expect(result.after).toMatchObject({ register: { awaitingControlUpdate: false, issueDeadline: deadline }, fiscalCard: { monitoring: { singleInvoiceLimit: 2_000_000 } } });
    // The register verified the PIN itself and kept the next one in step with the card.
    expect(reg.simulator.state.fiscal.pin?.current).toBe(Buffer.from(reg.cards.fiscal.currentPin).toString('hex'));
  });

  it('refuses to let the register spend the last PIN try unless told', async () => {
    current = await startInitializedRegister();
    const { reg, session } = current;
    reg.simulator.declare();
    taxOfficeCompletes(reg, addDays((await session.status()).lastSignedDay!, 60), 2_000_000);
    (reg.cards.fiscal as unknown as { state: { pinTriesLeft: number } }).state.pinTriesLeft = 1;
    const failure = await failureOf(runChange(session, parse({ kind: 'monitoring-data' }), new RecordingReporter()));
    expect(failure.code).toBe('CHANGE_PIN_LAST_TRY');
    expect(failure.params.triesLeft).toBe(1);
    expect(reg.simulator.state.fiscal.declaredFlag).toBe(true);
    const done = await runChange(session, parse({ kind: 'monitoring-data', allowLastPinTry: true }), new RecordingReporter());
    expect(done.register).toBe('gb-link-40');
  });

  it('a lost reply to 40 is settled by reading back: the change is reported done, and 40 ran once', async () => {
    let runs = 0;
    const dropReply: CommandHandler = {
      code: CMD.CONTROL_WRITE_BACK,
      async handle(context, params) {
        runs += 1;
        const answer = await controlWriteBackHandler.handle(context, params);
        current!.reg.simulator.setFaults({ faults: [{ kind: 'drop', direction: 'tx', at: Array.from({ length: 6 + answer.length }, (_, i) => i) }] });
        return answer;
      },
    };
    current = await startInitializedRegister({ handlers: [dropReply] });
    const { reg, session } = current;
    reg.simulator.declare();
    taxOfficeCompletes(reg, addDays((await session.status()).lastSignedDay!, 60), 3_000_000);
    const result = await runChange(session, parse({ kind: 'monitoring-data' }), new RecordingReporter());
    expect(runs).toBe(1);
    expect(result.register).toBe('gb-link-40');
    expect(result.after).toMatchObject({ fiscalCard: { monitoring: { singleInvoiceLimit: 3_000_000 } }, register: { awaitingControlUpdate: false } });
  });

  it('a register without GB link 40 (ER 20) is told to do it at its keyboard', async () => {
    const publicFirmware: CommandHandler = {
      code: CMD.CONTROL_WRITE_BACK,
      handle: async () => { throw new RegisterRefusal(ErCode.unknownCommand, 'no 40 on this firmware'); },
    };
    current = await startInitializedRegister({ handlers: [publicFirmware] });
    const { reg, session } = current;
    reg.simulator.declare();
    taxOfficeCompletes(reg, addDays((await session.status()).lastSignedDay!, 60), 2_000_000);
    const failure = await failureOf(runChange(session, parse({ kind: 'monitoring-data' }), new RecordingReporter()));
    expect(failure.code).toBe('CHANGE_CONTROL_UPDATE_UNSUPPORTED');
    expect((failure as unknown as { remedy(l: string): string }).remedy('en')).toMatch(/keyboard/);
    expect(reg.simulator.state.fiscal.declaredFlag).toBe(true);
  });
});
