import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { readCard } from '../../../src/services/cards/readCard.js';
import { dryRunInitialization, initializationStages, runInitialization } from '../../../src/services/initialize/initializeRegister.js';
import { RecordingReporter, registerToday, startSimulatedRegister, type SimulatedRegister } from './harness.js';

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
    expect(fiscal.registered).toBe(true);

    // The register verified the PIN on the card and stored the next one; the gateway kept nothing.
    expect(register.sim.state.fiscal.pin?.current).toBe(Buffer.from(register.set.fiscal.currentPin).toString('hex'));
    expect(await register.deps.pending.get(fiscal.cardNumber)).toBeUndefined();
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
    const error = await runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, new RecordingReporter()).catch((e: unknown) => e);
    expect(isGatewayError(error, 'INIT_CLOCK_OFF')).toBe(true);
    expect(register.set.fiscal.registered).toBe(false);
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
