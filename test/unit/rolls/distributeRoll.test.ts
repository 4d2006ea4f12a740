import { afterEach, describe, expect, it } from 'vitest';
import { runRollDistribution, rollStages } from '../../../src/services/rolls/distributeRoll.js';
import { failureOf, RecordingReporter, startInitializedRegister, type InitializedRegister } from './harness.js';

let current: InitializedRegister | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

const request = { allowLastPinTry: false };

/** Waits until the register answers again after a power cycle. */
async function backOnline(session: InitializedRegister['session']): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      await session.connect();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('invoice roll distribution through GB link 31/50', () => {
  it('takes one roll from the user card, mounts it on the fiscal card and verifies both sides', async () => {
    current = await startInitializedRegister();
    const { reg, session } = current;
    const pinBefore = Buffer.from(reg.cards.fiscal.currentPin).toString('hex');
    const rollsBefore = reg.simulator.state.fiscal.rolls.length;
    const reporter = new RecordingReporter();
    const result = await runRollDistribution(session, request, reporter);
    expect(reporter.stages).toEqual(rollStages.map((s) => s.id));
    expect(result.recovered).toBe(false);
    expect(result.roll).toEqual({ invoiceCode: '00000000144030012345', start: 1, end: 100, numbers: 100 });
    expect(result.rollsLeftOnUserCard).toBe(4);
    expect(reg.cards.user.lastDistributed).toMatchObject({ start: 1, end: 100 });
    expect(reg.simulator.state.fiscal.rolls).toHaveLength(rollsBefore + 1);
    expect(reg.simulator.state.fiscal.rolls.at(-1)?.mountedAt).toBeDefined();
    // The register verified and rotated the PIN itself, and stored the next one: it still opens the card.
    expect(Buffer.from(reg.cards.fiscal.currentPin).toString('hex')).not.toBe(pinBefore);
    expect(reg.simulator.state.fiscal.pin?.current).toBe(Buffer.from(reg.cards.fiscal.currentPin).toString('hex'));
    expect(result.pinTriesLeft).toBe(reg.cards.fiscal.pinTriesLeft);
    expect(reporter.after).toMatchObject({ roll: { start: 1, end: 100, mounted: true } });
  });

  it('a second run distributes the next roll, never the same one', async () => {
    current = await startInitializedRegister();
    await runRollDistribution(current.session, request, new RecordingReporter());
    const second = await runRollDistribution(current.session, request, new RecordingReporter());
    expect(second.roll).toMatchObject({ start: 101, end: 200 });
    expect(second.rollsLeftOnUserCard).toBe(3);
  });

  it('recovers a distribution whose link was cut after DISTRIBUTE: finds the roll and mounts it, distributes nothing twice', async () => {
    current = await startInitializedRegister();
    const { reg, session } = current;
    // The register receives 31 and acts on it (the user card hands out a roll, the register stores it);
    // its answer, and everything after it, is lost.
    const stop = reg.simulator.onEvent((event) => {
      if (event.type === 'command' && event.cmd === 0x31) reg.simulator.setFaults({ faults: [{ kind: 'cut', direction: 'tx', at: 0, mode: 'silence' }] });
    });
    const failure = await failureOf(runRollDistribution(session, request, new RecordingReporter()));
    stop();
    expect(failure.code).toBe('ROLL_STEP_FAILED');
    expect(failure.params.step).toBe('distribute (GB link 31)');
    expect((failure.data.changed as { en: string }).en).toMatch(/never distributes another/);
    expect(reg.cards.user.lastDistributed).toMatchObject({ start: 1, end: 100 });
    expect(reg.simulator.state.fiscal.rolls.at(-1)).toMatchObject({ start: 1, end: 100 });
    expect(reg.simulator.state.fiscal.rolls.at(-1)?.mountedAt).toBeUndefined();

    reg.simulator.setFaults({});
    reg.simulator.restoreLink();
    const reporter = new RecordingReporter();
    const result = await runRollDistribution(session, request, reporter);
    expect(result.recovered).toBe(true);
    expect(result.roll).toMatchObject({ start: 1, end: 100 });
    expect(result.rollsLeftOnUserCard).toBe(4);
    expect(reg.cards.user.lastDistributed).toMatchObject({ start: 1, end: 100 });
    expect(reg.simulator.state.fiscal.rolls.filter((r) => r.start === 1 && r.invoiceCode === '00000000144030012345')).toHaveLength(1);
  });

  it('refuses a roll the user card gave out that the register lost (power cut while storing it) instead of taking another', async () => {
    current = await startInitializedRegister();
    const { reg, session } = current;
    reg.simulator.setFaults({ faults: [{ kind: 'power-loss', during: 'flash-write', offMs: 0 }] });
    await failureOf(runRollDistribution(session, request, new RecordingReporter()));
    expect(reg.cards.user.lastDistributed).toMatchObject({ start: 1, end: 100 });
    reg.simulator.setFaults({});
    await backOnline(session);
    const failure = await failureOf(runRollDistribution(session, request, new RecordingReporter()));
    expect(failure.code).toBe('ROLL_ORPHANED');
    expect(failure.params).toMatchObject({ start: 1, end: 100 });
    // Exactly one roll left the card: the lost answer was never followed by a second 31.
    expect(reg.cards.user.snapshot().state.rolls[0]).toMatchObject({ start: 101, rollCount: 4 });
    expect(reg.simulator.state.fiscal.rolls.some((r) => r.invoiceCode === '00000000144030012345')).toBe(false);
  });

  it('says in plain words when the user card has no roll left, before taking anything', async () => {
    current = await startInitializedRegister();
    for (let i = 0; i < 5; i += 1) await runRollDistribution(current.session, request, new RecordingReporter());
    const failure = await failureOf(runRollDistribution(current.session, request, new RecordingReporter()));
    expect(failure.code).toBe('ROLL_NONE_LEFT');
  });

  it('refuses to let the register spend the last PIN try unless told, and then mounts', async () => {
    current = await startInitializedRegister();
    const { reg, session } = current;
    (reg.cards.fiscal as unknown as { state: { pinTriesLeft: number } }).state.pinTriesLeft = 1;
    const failure = await failureOf(runRollDistribution(session, request, new RecordingReporter()));
    expect(failure.code).toBe('ROLL_PIN_LAST_TRY');
    expect(failure.params.triesLeft).toBe(1);
    expect(reg.cards.user.lastDistributed).toBeNull();
    const result = await runRollDistribution(session, { allowLastPinTry: true }, new RecordingReporter());
    expect(result.roll.start).toBe(1);
  });

  it('refuses a user card that does not list this register, without taking a roll from it', async () => {
    current = await startInitializedRegister();
    const other = await startInitializedRegister({ seed: 8 });
    try {
      current.reg.simulator.insertCard('user', other.reg.cards.user);
      const failure = await failureOf(runRollDistribution(current.session, request, new RecordingReporter()));
      expect(failure.code).toBe('ROLL_USER_CARD_UNUSABLE');
      expect(String(failure.params.reason)).toMatch(/does not list machine/);
      expect(other.reg.cards.user.lastDistributed).toBeNull();
    } finally {
      await other.close();
    }
  });
});
