import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/CliContext.js';
import type { DaemonClient } from '../../../src/cli/DaemonClient.js';
import type { JobView } from '../../../src/cli/types.js';
import { watchJob } from '../../../src/cli/watchJob.js';

const job: JobView = {
  id: 'j1', kind: 'backup', deviceId: 'D', operator: 'o', state: 'succeeded', stage: 'read', fraction: 1, etaSeconds: null,
  createdAt: '', finishedAt: '', result: null, error: null,
};

const waiting = {
  for: 'device', code: 'DEVICE_OFFLINE',
  message: { 'zh-CN': '设备重启中，等待它回来', en: 'The register reboots: waiting for it to come back' },
};

function watch(language: 'zh-CN' | 'en', tty = false): Promise<string> {
  let stderr = '';
  const messages = [
    { event: 'progress', data: JSON.stringify({ fraction: 0.2, stage: 'read', etaSeconds: null }) },
    { event: 'progress', data: JSON.stringify({ fraction: 0.5, stage: 'attach', etaSeconds: 9, detail: 'the register is busy, 3 s of an expected 60 s' }) },
    { event: 'progress', data: JSON.stringify({ fraction: 0.6, stage: 'attach', etaSeconds: 8, detail: 'a detail nobody translated yet' }) },
    { event: 'waiting', data: JSON.stringify(waiting) },
    { event: 'running', data: '{}' },
    { event: 'end', data: JSON.stringify({ state: 'succeeded' }) },
  ];
  const client = {
    stream: async (_path: string, _last: string | undefined, onMessage: (m: { event: string; data: string; id?: string }) => void) => {
      for (const message of messages) onMessage(message);
    },
    get: async () => job,
  } as unknown as DaemonClient;
  const io = { stdout: { write: () => undefined }, stderr: { write: (t: string) => { stderr += t; }, isTTY: tty }, env: {} };
  const ctx: CliContext = {
    io, client, json: false, language, positionals: [], options: {}, commands: [],
    printJson: () => undefined, print: () => undefined,
  };
  return watchJob(ctx, 'j1').then(() => stderr);
}

describe('watchJob: a job that waits', () => {
  it('shows why the job waits and when it goes on, in the chosen language (no English in Chinese)', async () => {
    const en = await watch('en');
    expect(en).toContain('Waiting: The register reboots: waiting for it to come back\n');
    expect(en).toContain('No longer waiting: the job goes on\n');
    const zh = await watch('zh-CN');
    expect(zh).toContain('等待中：设备重启中，等待它回来\n');
    expect(zh).toContain('等待结束，任务继续\n');
    const zhLines = zh.split('\n').filter((line) => line.startsWith('等待'));
    for (const line of zhLines) expect(line).not.toMatch(/[A-Za-z]{2,}/);
  });

  it('on a terminal, says the progress detail in the chosen language and leaves out one it cannot say in Chinese', async () => {
    const zh = await watch('zh-CN', true);
    expect(zh).toContain('重新连接（收款机忙，已等 3 秒，预计 60 秒）');
    expect(zh).not.toMatch(/[A-Za-z]{3,}/);
    const en = await watch('en', true);
    expect(en).toContain('attach (the register is busy, 3 s of an expected 60 s)');
    expect(en).toContain('(a detail nobody translated yet)');
  });
});
