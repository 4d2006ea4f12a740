import { afterEach, describe, expect, it } from 'vitest';
import { reconcileRoll } from '../../../src/services/rolls/reconcileRoll.js';
import { runRollDistribution } from '../../../src/services/rolls/distributeRoll.js';
import { RecordingReporter, startInitializedRegister, type InitializedRegister } from './harness.js';

let current: InitializedRegister | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** A process killed at its `n`th checkpoint (after writing it): what follows it never runs. */
class KilledAtCheckpoint extends RecordingReporter {
  constructor(private readonly n: number) {
    super();
  }

  override checkpoint(data: Record<string, unknown>): void {
    super.checkpoint(data);
    if (this.checkpoints.length === this.n) throw new Error('killed');
  }
}

const request = { allowLastPinTry: false };

async function resumeAfterKill(n: number) {
  current = await startInitializedRegister();
  const { reg, session } = current;
  const rollsBefore = reg.simulator.state.fiscal.rolls.length;
  const killed = new KilledAtCheckpoint(n);
  await runRollDistribution(session, request, killed).catch(() => undefined);
  expect(killed.checkpoints).toHaveLength(n);
  const outcome = reconcileRoll({ checkpoint: killed.checkpoints.at(-1), params: request }, (_signal, work) => work(session), () => []);
  expect(outcome.state).toBe('resume');
  const result = await outcome.run(Object.assign(new RecordingReporter(), { signal: new AbortController().signal }));
  return { reg, rollsBefore, result };
}

describe('reconciling a roll job', () => {
  it('killed after 31 took a roll and before 50: the resumed job mounts that roll, and takes no second one', async () => {
    const { reg, rollsBefore, result } = await resumeAfterKill(2);
    expect(result).toMatchObject({ recovered: true, roll: { start: 1, end: 100 }, rollsLeftOnUserCard: 4 });
    expect(reg.simulator.state.fiscal.rolls).toHaveLength(rollsBefore + 1);
  });

  it('killed before 31 left: the resumed job distributes once', async () => {
    const { reg, rollsBefore, result } = await resumeAfterKill(1);
    expect(result).toMatchObject({ recovered: false, roll: { start: 1, end: 100 }, rollsLeftOnUserCard: 4 });
    expect(reg.simulator.state.fiscal.rolls).toHaveLength(rollsBefore + 1);
  });
});
