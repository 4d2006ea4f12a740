import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { readCard } from '../../../src/services/cards/readCard.js';
import { dryRunInitialization, initializationStages, runInitialization } from '../../../src/services/initialize/initializeRegister.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { ChangeStatement } from '../../../src/services/initialize/changeStatement.js';
import { failureOf, RecordingReporter, registerToday, startSimulatedRegister, type SimulatedRegister } from './harness.js';

let register: SimulatedRegister | undefined;
afterEach(async () => {
  await register?.close();
  register = undefined;
});

describe('initialization real run', () => {
  it('initializes a fresh register with matching cards; the read-back matches the card data field by field', async () => {
    register = await startSimulatedRegister();
    const dry = await dryRunInitialization(register.target, register.deps);
    const reporter = new RecordingReporter();
    const result = await runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, reporter);

    expect(reporter.stages).toEqual(initializationStages.map((s) => s.id));
    expect(result.startedAt).toBe('fresh');
    expect(result.readBack.every((f) => f.matches)).toBe(true);
    expect(result.readBack.find((f) => f.field === '39.taxItem[1]')?.actual).toMatch(/^\d{8} \S+ \/ .+ \d+\.\d{2}%$/);
    expect(result.readBack.map((f) => f.field)).toEqual([
      '37.machineNumber', '38.taxpayerNumber', '38.taxpayerId', '38.taxpayerName', '38.officeCode', '38.fiscalCardNumber',
      '38.declarationMode', '38.applicationStartDate', '38.validUntil', '38.initializationDate',
      '39.taxItemCount', '39.taxItem[1]', '39.taxItem[2]', '39.taxItem[3]',
      '41.initialized', '41.fiscalMode', '41.issueDeadline',
    ]);

    // Independently of the service: what the register holds equals what the cards say.
    const fiscal = (await readCard(register.session.cardChannel('fiscal'))).fiscal!;
    const user = (await readCard(register.session.cardChannel('user'))).user!;
    const info = await register.session.userInfo();
    expect(info).toEqual({
      taxpayerNumber: fiscal.taxpayer.number, taxpayerId: fiscal.taxpayer.id, taxpayerName: fiscal.taxpayer.name,
      officeCode: fiscal.officeCode, fiscalCardNumber: fiscal.cardNumber, declarationMode: fiscal.declarationMode,
      initializationDate: registerToday(), applicationStartDate: fiscal.applicationStart, validUntil: fiscal.validUntil,
    });
    expect(await register.session.taxItems()).toEqual(user.taxItems.map((t) => ({ index: t.index, itemCode: t.itemCode, rate: t.rate.basisPoints, nameZh: t.nameZh, nameEn: t.nameEn })));
    const status = await register.session.status();
    expect(status).toMatchObject({ initialized: true, fiscalMode: true, issueDeadline: user.controls[0]!.issueDeadline });
    expect(register.sim.memory.requireInitialized().limits).toEqual({
      issueDeadline: user.controls[0]!.issueDeadline.replaceAll('-', ''), singleInvoiceLimit: user.controls[0]!.singleInvoice.fen,
      cumulativeLimit: user.controls[0]!.cumulative.fen, returnLimit: user.controls[0]!.returns.fen,
    });
    expect(fiscal.registration).toBe('registered');

    // The register verified the PIN on the card and stored the next one; the gateway kept nothing.
    expect(register.sim.state.fiscal.pin?.current).toBe(Buffer.from(register.set.fiscal.currentPin).toString('hex'));
    expect(await register.memory.get(fiscal.cardNumber)).toBeUndefined();
    expect(reporter.before).toMatchObject({ plan: 'fresh', register: { initialized: false }, fiscalCard: { registered: false } });
    expect(reporter.after).toMatchObject({ register: { initialized: true, fiscalCardNumber: fiscal.cardNumber }, fiscalCard: { registered: true } });
    expect(JSON.stringify(reporter.before) + JSON.stringify(reporter.after)).not.toMatch(/1122334455667788/);
  });

  it('spends the token once, refuses another device\'s token, and refuses when the cards changed since the dry run', async () => {
    register = await startSimulatedRegister();
    const dry = await dryRunInitialization(register.target, register.deps);
    const other = register.deps.tokens.issue('reg-2', {});
    const wrongDevice = await runInitialization(register.target, register.deps, { token: other.token }, new RecordingReporter()).catch((e: unknown) => e);
    expect(isGatewayError(wrongDevice, 'INIT_TOKEN_INVALID')).toBe(true);

    register.sim.removeCard('user');
    const swapped = await startSimulatedRegister({ cards: { userCardNumber: '4403200000000099' } });
    register.sim.insertCard('user', swapped.set.user);
    await swapped.close();
    const changed = await runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, new RecordingReporter()).catch((e: unknown) => e);
    expect(isGatewayError(changed, 'INIT_FACTS_CHANGED')).toBe(true);
    expect((changed as Error).message).toMatch(/userCard/);
    const reused = await runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, new RecordingReporter()).catch((e: unknown) => e);
    expect(isGatewayError(reused, 'INIT_TOKEN_INVALID')).toBe(true);
    expect(register.sim.memory.initialized).toBe(false);
    expect(register.set.fiscal.registered).toBe(false);
  });

  it('refuses a real run whose re-check fails, with the check\'s own code', async () => {
    register = await startSimulatedRegister();
    const dry = await dryRunInitialization(register.target, register.deps);
    register.sim.setRegisterNow(Date.now() + 3_600_000);
    const error = await failureOf(runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, new RecordingReporter()));
    expect(error.code).toBe('INIT_CLOCK_OFF');
    expect(error.data.changed).toMatchObject({ state: 'unchanged', fiscalCardRegistered: false, registerInitialized: false });
    expect(register.set.fiscal.registered).toBe(false);
  });

  /** A reporter that runs `act` when the run enters `stage`. */
  function onStage(stage: string, act: () => void): RecordingReporter {
    const reporter = new RecordingReporter();
    const enter = reporter.stage.bind(reporter);
    reporter.stage = (id) => {
      if (id === stage) act();
      enter(id);
    };
    return reporter;
  }

  for (const card of ['fiscal', 'user'] as const) {
    it(`stops before registering when the ${card} card is swapped after the re-check, and says nothing changed`, async () => {
      register = await startSimulatedRegister();
      const other = await startSimulatedRegister({ cards: card === 'fiscal' ? { fiscalCardNumber: '4403100000000077' } : { userCardNumber: '4403200000000077' } });
      await other.close();
      const dry = await dryRunInitialization(register.target, register.deps);
      const reporter = onStage('authenticate', () => {
        // Swapped and powered, as a reader or slot that powers a new card by itself would leave it.
        register!.sim.removeCard(card);
        register!.sim.insertCard(card, other.set[card]);
        register!.sim.slots.powerOn(card);
      });
      const error = await failureOf(runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, reporter));
      expect(error.code).toBe('INIT_FACTS_CHANGED');
      expect(error.data.fields).toEqual([`${card}Card`]);
      expect(error.data.changed).toMatchObject({ state: 'nothing-changed', fiscalCardRegistered: false });
      expect(register.set.fiscal.registered).toBe(false);
      expect(other.set.fiscal.registered).toBe(false);
      expect(register.sim.memory.initialized).toBe(false);
    });
  }

  it('a cancel that lands between the registration and the write says the card is registered with its PIN kept, and the next run resumes', async () => {
    register = await startSimulatedRegister();
    const dry = await dryRunInitialization(register.target, register.deps);
    const reporter = onStage('write', () => { throw new GatewayError('CANCELLED'); });
    const error = await failureOf(runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, reporter));
    expect(error.code).toBe('CANCELLED');
    expect(error.data.changed).toMatchObject({ state: 'card-registered', fiscalCardRegistered: true, registerInitialized: false });
    expect(register.set.fiscal.registered).toBe(true);
    expect((await register.memory.get(register.fiscalCardNumber))?.pin).toMatch(/^[0-9a-f]{16}$/);

    const next = await dryRunInitialization(register.target, register.deps);
    expect(next.plan).toBe('write');
    const done = await runInitialization(register.target, register.deps, { token: next.confirmation!.token }, new RecordingReporter());
    expect(done.startedAt).toBe('write');
    expect(await register.memory.get(register.fiscalCardNumber)).toBeUndefined();
  });

  it('a kept PIN the card refuses is never tried again: the error shows the tries left and the gateway forgets the PIN', async () => {
    register = await startSimulatedRegister();
    const dry = await dryRunInitialization(register.target, register.deps);
    await failureOf(runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, onStage('write', () => { throw new GatewayError('CANCELLED'); })));
    const kept = (await register.memory.get(register.fiscalCardNumber))!;
    await register.memory.put({ ...kept, pin: '0000000000000000' });
    const resume = await dryRunInitialization(register.target, register.deps);
    expect(resume.plan).toBe('write');
    const error = await failureOf(runInitialization(register.target, register.deps, { token: resume.confirmation!.token }, new RecordingReporter()));
    expect(error.code).toBe('INIT_STEP_FAILED');
    expect(error.data).toMatchObject({ step: 'GB link 30', triesLeft: 2, cause: { code: 'LINK_PIN_CHECK_FAILED' } });
    expect((error.data.changed as ChangeStatement).state).toBe('pin-refused');
    expect(register.set.fiscal.pinTriesLeft).toBe(2);
    expect(await register.memory.get(register.fiscalCardNumber)).toBeUndefined();
    const after = await dryRunInitialization(register.target, register.deps);
    expect(after.ok).toBe(false);
    expect(after.error?.code).toBe('INIT_FISCAL_CARD_REGISTERED');
    expect(register.set.fiscal.pinTriesLeft).toBe(2);
  });

  it('reports a card refusal during authentication with the card\'s error and "nothing changed"', async () => {
    register = await startSimulatedRegister({ cards: { defect: 'foreign-issuer-key' } });
    const dry = await dryRunInitialization(register.target, register.deps);
    expect(dry.ok).toBe(true);
    const error = await runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, new RecordingReporter()).catch((e: unknown) => e);
    expect(isGatewayError(error, 'INIT_STEP_FAILED')).toBe(true);
    const data = (error as { data: Record<string, unknown> }).data as { step: string; cause: { code: string; message: { en: string } }; changed: { state: string; en: string } };
    expect(data.step).toBe('REGISTER_SIGN');
    expect(data.cause.code).toBe('CARD_MAC_MISMATCH');
    expect(data.changed.state).toBe('nothing-changed');
    expect(register.set.fiscal.registered).toBe(false);
    const again = await dryRunInitialization(register.target, register.deps);
    expect(again.plan).toBe('fresh');
  });
});
