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
    io, client, json, language, positionals: [], options: {}, commands: [],
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

describe('fiscalctl backup', () => {
  it('names the checks a public-firmware register gave no means to make, in both languages', async () => {
    const { backupCommand } = await import('../../../src/cli/commands/backupCommand.js');
    const job: JobView = {
      id: 'j2', kind: 'backup', deviceId: 'D', operator: 'o', state: 'succeeded', stage: 'verify', fraction: 1, etaSeconds: null, createdAt: '', finishedAt: '', error: null,
      result: {
        backupId: 'abcdefabcdef', counts: { invoices: 3 }, problemCount: 0, problems: [],
        skipped: [
          { check: 'count', kind: 'counts', command: '72', reason: 'the register offers no record counts (72)' },
          { check: 'read', kind: 'init-history', command: '73', reason: 'the register does not offer its initialization history (73)' },
        ],
      },
    } as unknown as JobView;
    for (const [language, expected] of [['en', ['2 check(s) could not be made', 'init-history', 'offers no record counts (72)']], ['zh-CN', ['有 2 项检查无法进行', '初始化/变更记录', '未读取', '无法核对条数']]] as const) {
      const { ctx, out } = contextFor(job, language);
      expect(await backupCommand.run({ ...ctx, positionals: ['D'] })).toBe(0);
      for (const text of expected) expect(out()).toContain(text);
    }
  });
});
