import { afterEach, describe, expect, it } from 'vitest';
import { changeRequestSchema } from '../../../src/services/changes/changeRequest.js';
import { reconcileChange } from '../../../src/services/changes/reconcileChange.js';
import { runChange } from '../../../src/services/changes/runChange.js';
import { RecordingReporter, startInitializedRegister, type InitializedRegister } from '../rolls/harness.js';

let current: InitializedRegister | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** A reporter of a process killed just after the checkpoint before the write: the write never leaves. */
class KilledAtCheckpoint extends RecordingReporter {
  override checkpoint(data: Record<string, unknown>): void {
    super.checkpoint(data);
    throw new Error('killed');
  }
}

const rename = changeRequestSchema.parse({ kind: 'basic-info', taxpayerName: '深圳市新名称有限公司' });

describe('reconciling a registration change', () => {
  it('a GB link 62 that took effect before the kill is reconciled as succeeded, with the register as it is now', async () => {
    current = await startInitializedRegister();
    const reporter = new RecordingReporter();
    await runChange(current.session, rename, reporter);
    // The process died before storing the end: only the checkpoint before the write remains.
    const checkpoint = reporter.checkpoints.at(-1);
    expect(checkpoint).toMatchObject({ phase: 'applying', update: { taxpayerName: '深圳市新名称有限公司' } });
    const outcome = await reconcileChange({ checkpoint }, current.session);
    expect(outcome).toMatchObject({
      state: 'succeeded',
      result: { kind: 'basic-info', register: 'gb-link-62', after: { register: { taxpayerName: '深圳市新名称有限公司' } } },
    });
  });

  it('a change killed before its write left is reconciled as failed, nothing changed, and is not sent again', async () => {
    current = await startInitializedRegister();
    const before = (await current.session.userInfo()).taxpayerName;
    const reporter = new KilledAtCheckpoint();
    await expect(runChange(current.session, rename, reporter)).rejects.toThrow('killed');
    const outcome = await reconcileChange({ checkpoint: reporter.checkpoints.at(-1) }, current.session);
    expect(outcome).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED_BY_RESTART', data: { changed: { en: 'nothing was changed' } } } });
    expect((await current.session.userInfo()).taxpayerName).toBe(before);
  });

  it('a change with no checkpoint had sent nothing', async () => {
    current = await startInitializedRegister();
    expect(await reconcileChange({ checkpoint: null }, current.session)).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED_BY_RESTART' } });
  });
});
