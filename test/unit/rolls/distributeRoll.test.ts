import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import { VirtualUserCard } from '../../../fixtures/cards/index.js';
import type { PastRecord } from '../../../src/services/common/PastRecord.js';
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

/** The service record a finished job would leave, from what the run recorded. */
function recordOf(reporter: RecordingReporter, result: string, id: number): PastRecord {
  return { id, at: new Date(Date.now() + id).toISOString(), action: 'roll', result, after: reporter.after };
}

/** Puts a copy of the register's user card that also lists another machine into the user slot. */
function userCardOfTwoMachines(reg: InitializedRegister['reg']): VirtualUserCard {
  const snapshot = reg.cards.user.snapshot();
  const card = VirtualUserCard.restore({
    ...snapshot,
    personalization: {
      ...snapshot.personalization,
      machines: [...snapshot.personalization.machines, { machineNumber: '4403000099999999', fiscalCardNumber: '4403100000009999', tag: 0 }],
    },
  });
  reg.simulator.insertCard('user', card);
  return card;
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

  it('takes the roll from the session\'s read-back when only the answer to 31 was lost, and sends 31 once', async () => {
    current = await startInitializedRegister();
    const { reg, session } = current;
    let distributions = 0;
    const stop = reg.simulator.onEvent((event) => {
      if (event.type !== 'command' || event.cmd !== 0x31) return;
      distributions += 1;
      // The register acts on 31; the 28 bytes of its answer (OK header, 22 data bytes, CRC) never arrive.
      reg.simulator.setFaults({ faults: [{ kind: 'drop', direction: 'tx', at: Array.from({ length: 28 }, (_, i) => i) }] });
    });
    const reporter = new RecordingReporter();
    const result = await runRollDistribution(session, request, reporter);
    stop();
    expect(distributions).toBe(1);
    expect(result).toMatchObject({ recovered: false, roll: { start: 1, end: 100 }, rollsLeftOnUserCard: 4 });
    expect(reg.simulator.state.fiscal.rolls.at(-1)?.mountedAt).toBeDefined();
    expect(reporter.after).toMatchObject({ distribution: 'settled', changed: { en: 'the roll was distributed and mounted on the fiscal card' } });
  });

  it('never takes a second roll after a lost 31 when the user card serves other machines too: the next run refuses', async () => {
    current = await startInitializedRegister();
    const { reg, session } = current;
    const card = userCardOfTwoMachines(reg);
    reg.simulator.setFaults({ faults: [{ kind: 'power-loss', during: 'flash-write', offMs: 0 }] });
    const first = new RecordingReporter();
    const lost = await failureOf(runRollDistribution(session, request, first));
    expect(lost.code).toBe('ROLL_STEP_FAILED');
    expect(first.after).toMatchObject({ distribution: 'in-doubt', userCardLastRoll: null });
    expect(card.lastDistributed).toMatchObject({ start: 1, end: 100 });
    reg.simulator.setFaults({});
    await backOnline(session);

    // Without the gateway's memory a card of two machines would look as if the roll went to the other one.
    const history = [recordOf(first, 'failed', 1)];
    const second = new RecordingReporter();
    const refused = await failureOf(runRollDistribution(session, request, second, { history }));
    expect(refused.code).toBe('ROLL_ORPHANED');
    expect(refused.data.changed).toMatchObject({ en: 'nothing was changed' });
    expect(card.snapshot().state.rolls[0]).toMatchObject({ start: 101, rollCount: 4 });
    // The refusal keeps the doubt for the run after it.
    const third = await failureOf(runRollDistribution(session, request, new RecordingReporter(), { history: [...history, recordOf(second, 'failed', 2)] }));
    expect(third.code).toBe('ROLL_ORPHANED');
    expect(card.snapshot().state.rolls[0]).toMatchObject({ start: 101, rollCount: 4 });
  });

  it('after a lost 31 that took nothing (the card\'s last roll unchanged) the next run distributes normally', async () => {
    current = await startInitializedRegister();
    const { reg, session } = current;
    userCardOfTwoMachines(reg);
    const history: PastRecord[] = [{ id: 1, at: new Date().toISOString(), action: 'roll', result: 'failed', after: { distribution: 'in-doubt', userCardLastRoll: null } }];
    const result = await runRollDistribution(session, request, new RecordingReporter(), { history });
    expect(result.roll).toMatchObject({ start: 1, end: 100 });
  });

  it('refuses a register this gateway deregistered, before reading it', async () => {
    current = await startInitializedRegister();
    const { reg, session } = current;
    let commands = 0;
    const stop = reg.simulator.onEvent((event) => { if (event.type === 'command') commands += 1; });
    const history: PastRecord[] = [{ id: 7, at: '2026-05-01T08:00:00.000Z', action: 'deregister', result: 'succeeded', after: { deregistered: true } }];
    const failure = await failureOf(runRollDistribution(session, request, new RecordingReporter(), { history }));
    stop();
    expect(failure.code).toBe('ROLL_REGISTER_DEREGISTERED');
    expect(failure.params.at).toBe('2026-05-01T08:00:00.000Z');
    expect(commands).toBe(0);
    expect(reg.cards.user.lastDistributed).toBeNull();
  });

  it('a cancel that takes effect between the distribution and the mount says the roll waits in the register', async () => {
    current = await startInitializedRegister();
    const reporter = new RecordingReporter();
    const stage = reporter.stage.bind(reporter);
    reporter.stage = (id) => {
      if (id === 'mount') throw new GatewayError('CANCELLED');
      stage(id);
    };
    const failure = await failureOf(runRollDistribution(current.session, request, reporter));
    expect(failure.code).toBe('CANCELLED');
    expect((failure.data.changed as { en: string }).en).toMatch(/distributed from the user card into the register but is not mounted/);
    expect(failure.data.roll).toMatchObject({ start: 1, end: 100 });
    const next = await runRollDistribution(current.session, request, new RecordingReporter());
    expect(next).toMatchObject({ recovered: true, roll: { start: 1, end: 100 } });
  });

  it('a link lost after the mount is answered says the roll is mounted but unverified, never "nothing changed"', async () => {
    current = await startInitializedRegister();
    const { reg, session } = current;
    const stop = reg.simulator.onEvent((event) => {
      // 50's answer arrives; everything after it is lost.
      if (event.type === 'command' && event.cmd === 0x50) reg.simulator.setFaults({ faults: [{ kind: 'cut', direction: 'tx', at: 64, mode: 'silence' }] });
    });
    const failure = await failureOf(runRollDistribution(session, request, new RecordingReporter()));
    stop();
    expect(failure.code).toBe('ROLL_STEP_FAILED');
    expect(failure.params.step).toBe('verify (GB link 32, fiscal card EF05)');
    expect((failure.data.changed as { en: string }).en).toMatch(/answered the mount, but the read-back was not finished/);
    expect(reg.simulator.state.fiscal.rolls.at(-1)?.mountedAt).toBeDefined();
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
