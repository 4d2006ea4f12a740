import { afterEach, describe, expect, it } from 'vitest';
import type { BorrowedDevice } from '../../../src/devices/DevicePort.js';
import { dryRunInitialization, runInitialization } from '../../../src/services/initialize/initializeRegister.js';
import { reconcileInitialization } from '../../../src/services/initialize/reconcileInitialization.js';
import { RecordingReporter, startSimulatedRegister, type SimulatedRegister } from './harness.js';

let register: SimulatedRegister | undefined;
afterEach(async () => {
  await register?.close();
  register = undefined;
});

/** The register lent to the reconcile: only its slots are used. */
function lent(reg: SimulatedRegister): BorrowedDevice {
  return { slot: (which: 'fiscal' | 'user') => reg.target.cards[which] } as unknown as BorrowedDevice;
}

const neverLend = async () => {
  throw new Error('no resume expected');
};

/** A process killed as soon as its first checkpoint (before TERMINAL_REGISTER) was written. */
class KilledAtFirstCheckpoint extends RecordingReporter {
  override checkpoint(data: Record<string, unknown>): void {
    super.checkpoint(data);
    throw new Error('killed');
  }
}

describe('reconciling an interrupted initialization', () => {
  it('without a checkpoint, and killed before TERMINAL_REGISTER left: failed, nothing changed (the card says so)', async () => {
    register = await startSimulatedRegister();
    const none = await reconcileInitialization({ deviceId: 'reg-1', params: {}, checkpoint: null }, lent(register), neverLend, register.deps);
    expect(none).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED_BY_RESTART', data: { changed: { state: 'nothing-changed' } } } });

    const dry = await dryRunInitialization(register.target, register.deps);
    const killed = new KilledAtFirstCheckpoint();
    await runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, killed).catch(() => undefined);
    expect(killed.checkpoints.at(-1)).toMatchObject({ stage: 'registering', pin: null });
    expect(register.set.fiscal.registered).toBe(false);
    const outcome = await reconcileInitialization({ deviceId: 'reg-1', params: {}, checkpoint: killed.checkpoints.at(-1) }, lent(register), neverLend, register.deps);
    expect(outcome).toMatchObject({ state: 'failed', error: { code: 'INIT_STEP_FAILED', data: { step: 'TERMINAL_REGISTER', changed: { state: 'nothing-changed' } } } });
  });

  it('TERMINAL_REGISTER answered but its PIN lost with the kill: the card read through the slot says registered, the PIN lost', async () => {
    register = await startSimulatedRegister();
    const dry = await dryRunInitialization(register.target, register.deps);
    const reporter = new RecordingReporter();
    await runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, reporter);
    const registering = reporter.checkpoints.find((c) => c.stage === 'registering');
    const outcome = await reconcileInitialization({ deviceId: 'reg-1', params: {}, checkpoint: registering }, lent(register), neverLend, register.deps);
    expect(outcome).toMatchObject({ state: 'failed', error: { code: 'INIT_STEP_FAILED', data: { changed: { state: 'registered-pin-lost' } } } });
  });

  it('with a PIN checkpointed, it resumes, honouring the job\'s resendPin and allowLastPinTry', async () => {
    register = await startSimulatedRegister();
    const checkpoint = { deviceId: 'reg-1', machineNumber: '1', fiscalCardNumber: register.fiscalCardNumber, userCardNumber: '2', pin: '0011223344556677', stage: 'pin-sent', at: new Date().toISOString() };
    const seen: unknown[] = [];
    const outcome = await reconcileInitialization({ deviceId: 'reg-1', params: { resendPin: true }, checkpoint }, lent(register), async (_signal, work) => {
      seen.push('lent');
      return work(register!.target).catch((error: unknown) => error);
    }, register.deps);
    expect(outcome.state).toBe('resume');
    if (outcome.state === 'resume') await outcome.run(Object.assign(new RecordingReporter(), { signal: new AbortController().signal }));
    expect(seen).toEqual(['lent']);
  });
});
