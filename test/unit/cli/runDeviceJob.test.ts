import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/CliContext.js';
import type { DaemonClient } from '../../../src/cli/DaemonClient.js';
import { runDeviceJob } from '../../../src/cli/runDeviceJob.js';
import type { JobView } from '../../../src/cli/types.js';

function contextFor(job: JobView, language: 'zh-CN' | 'en', json = false): { ctx: CliContext; out: () => string } {
  let stdout = '';
  const client = {
    post: async () => ({ job: { id: job.id } }),
    stream: async (_path: string, _last: string | undefined, onMessage: (m: { event: string; data: string }) => void) => onMessage({ event: 'end', data: JSON.stringify({ state: job.state }) }),
    get: async () => job,
  } as unknown as DaemonClient;
  const io = { stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: () => undefined }, env: {} };
  const ctx: CliContext = {
    io, client, json, language, positionals: [], options: {},
    printJson: (value) => io.stdout.write(`${JSON.stringify(value)}\n`), print: (text) => io.stdout.write(text),
  };
  return { ctx, out: () => stdout };
}

const failed: JobView = {
  id: 'j1', kind: 'roll', deviceId: 'D', operator: 'o', state: 'failed', stage: 'mount', fraction: 0.5, etaSeconds: null, createdAt: '', finishedAt: '', result: null,
  error: {
    code: 'ROLL_STEP_FAILED', message: 'mount failed', messageZh: '写入失败',
    data: { triesLeft: 2, changed: { 'zh-CN': '发票卷已分发但未写入税控卡', en: 'the roll was distributed but not mounted' } },
  } as JobView['error'],
};

describe('runDeviceJob', () => {
  it('prints how a failed job ended, what it changed and the PIN tries left, in the chosen language, with its exit code', async () => {
    const command = { path: '/v1/devices/D/rolls', label: { 'zh-CN': '任务', en: 'Job' }, resultKey: 'roll', show: () => 'never' };
    const en = contextFor(failed, 'en');
    expect(await runDeviceJob(en.ctx, command)).toBe(1);
    expect(en.out()).toBe('Job j1 failed: mount failed (ROLL_STEP_FAILED)\n  Fiscal card PIN tries left: 2\n  the roll was distributed but not mounted\n');
    const zh = contextFor(failed, 'zh-CN');
    await runDeviceJob(zh.ctx, command);
    expect(zh.out()).toContain('税控卡口令剩余次数: 2\n  发票卷已分发但未写入税控卡');
    const json = contextFor(failed, 'en', true);
    await runDeviceJob(json.ctx, command);
    expect(JSON.parse(json.out())).toMatchObject({ job: { id: 'j1', error: { data: { triesLeft: 2 } } }, roll: null });
  });
});
