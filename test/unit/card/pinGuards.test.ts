import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import { changeRequestSchema } from '../../../src/services/changes/changeRequest.js';
import { runChange } from '../../../src/services/changes/runChange.js';
import { dryRunInitialization, runInitialization } from '../../../src/services/initialize/initializeRegister.js';
import { runRollDistribution } from '../../../src/services/rolls/distributeRoll.js';
import { startSimulatedRegister } from '../initialize/harness.js';
import { RecordingReporter } from '../support/RecordingReporter.js';
import { initializedRegister, watch } from './strictRegister.js';

/**
 * The rule for PIN-spending steps when the card does not tell (gb18240-card SPEC.md §2.3, §3.2): with
 * the tries unknown the register's PIN check runs only when the operator allows the last try; while
 * the registration is uncertain it never runs. The card's own counter is watched throughout.
 */

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('a registered card that does not answer the ISO query (tries unknown)', () => {
  it('rolls: refused with CARD_PIN_TRIES_UNKNOWN (exit 3) before anything is distributed; allowed with allowLastPinTry', async () => {
    const reg = await initializedRegister('strict-no-query', { days: 10, invoicesPerDay: 2 });
    closers.push(() => reg.close());
    const rollsBefore = reg.user.snapshot().state;
    const refused = await failure(runRollDistribution(reg.session, { allowLastPinTry: false }, new RecordingReporter()));
    expect(refused.code).toBe('CARD_PIN_TRIES_UNKNOWN');
    expect(refused.spec.exit).toBe(3);
    expect(refused.data).toMatchObject({ reason: 'not-told', sw: '6D00' });
    expect(reg.user.snapshot().state).toEqual(rollsBefore);
    expect(reg.watched.verifications).toBe(0);
    const done = await runRollDistribution(reg.session, { allowLastPinTry: true }, new RecordingReporter());
    expect(done.pinTriesLeft).toBeNull();
    expect(reg.watched.verifications).toBe(1);
    expect(reg.fiscal.pinTriesLeft).toBe(3);
    expect(reg.watched.countingQueries).toEqual([]);
    expect(reg.watched.moves).toEqual([]);
  });

  it('changes: a monitoring-data update is refused the same way, and nothing is written', async () => {
    const reg = await initializedRegister('strict-no-query', { days: 10, invoicesPerDay: 2, declaredAndPaid: true });
    closers.push(() => reg.close());
    const refused = await failure(runChange(reg.session, changeRequestSchema.parse({ kind: 'monitoring-data' }), new RecordingReporter()));
    expect(refused.code).toBe('CARD_PIN_TRIES_UNKNOWN');
    expect(reg.simulator.state.fiscal.declaredFlag).toBe(true);
    expect(reg.watched.verifications).toBe(0);
    expect(reg.watched.moves).toEqual([]);
  });
});

describe('a card whose registration is uncertain', () => {
  it('rolls: refused with CARD_REGISTRATION_UNCERTAIN even when the last try is allowed; no PIN is checked', async () => {
    // Registered, but it answers 6D00 to the ISO query and holds no roll, declaration or invoice: no sign either way.
    const reg = await initializedRegister('strict-no-query', { days: 10, invoicesPerDay: 2 }, { rolls: [] });
    closers.push(() => reg.close());
    for (const allowLastPinTry of [false, true]) {
      const refused = await failure(runRollDistribution(reg.session, { allowLastPinTry }, new RecordingReporter()));
      expect(refused.code).toBe('CARD_REGISTRATION_UNCERTAIN');
      expect(refused.spec.exit).toBe(3);
      expect(refused.data).toMatchObject({ flag: 1, because: 'no-sign' });
    }
    expect(reg.watched.verifications).toBe(0);
    expect(reg.fiscal.pinTriesLeft).toBe(3);
  });

  it('initialization: the dry run shows uncertain and plans a fresh run (no PIN try); the card itself refuses registration', async () => {
    const register = await startSimulatedRegister({ cards: { profile: 'strict-no-query', defect: 'fiscal-already-registered' } });
    closers.push(() => register.close());
    const watched = watch(register.set.fiscal);
    const dry = await dryRunInitialization(register.target, register.deps);
    expect(dry.plan).toBe('fresh');
    expect(dry.checks.find((c) => c.id === 'fiscal-card-not-registered')).toMatchObject({ passed: true, actual: 'uncertain' });
    const refused = await failure(runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, new RecordingReporter()));
    expect(JSON.stringify(refused.data)).toMatch(/CARD_ALREADY_REGISTERED/);
    expect(register.sim.memory.initialized).toBe(false);
    expect(watched.apdus.filter((a) => a.startsWith('C0F9'))).toEqual([]);
    expect(register.set.fiscal.pinTriesLeft).toBe(3);
  });
});
