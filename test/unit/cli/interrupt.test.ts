import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { CliContext, CliIo } from '../../../src/cli/CliContext.js';
import type { Command } from '../../../src/cli/Command.js';
import type { DaemonClient } from '../../../src/cli/DaemonClient.js';
import { JobLeftRunning } from '../../../src/cli/JobLeftRunning.js';
import { resolveJobId } from '../../../src/cli/resolveJobId.js';
import { runCli } from '../../../src/cli/runCli.js';
import type { JobView } from '../../../src/cli/types.js';
import { watchJob } from '../../../src/cli/watchJob.js';

const job = (id: string, state: JobView['state'] = 'running'): JobView => ({
  id, kind: 'backup', deviceId: 'D', operator: 'o', state, stage: 'read', fraction: 0.3, etaSeconds: 12,
  createdAt: '', finishedAt: null, result: null, error: null,
});

/** A job stream that stays open until Ctrl-C aborts it; after a cancel, the next stream ends the job as cancelled. */
function setting(answer: string | undefined) {
  let stderr = '';
  let interrupt: (() => void) | undefined;
  const posted: string[] = [];
  let cancelled = false;
  const client = {
    stream: (_path: string, _last: string | undefined, onMessage: (m: { event: string; data: string }) => void, signal?: AbortSignal) => {
      if (cancelled) {
        onMessage({ event: 'end', data: JSON.stringify({ state: 'cancelled' }) });
        return Promise.resolve();
      }
      onMessage({ event: 'progress', data: JSON.stringify({ fraction: 0.3, stage: 'read', etaSeconds: 12 }) });
      queueMicrotask(() => interrupt?.());
      return new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    },
    post: async (path: string) => { posted.push(path); cancelled = true; return {}; },
    get: async () => job('0f6c2a8e-3c1d-4b7e-9a55-6d2f1e0b9c44', cancelled ? 'cancelled' : 'running'),
  } as unknown as DaemonClient;
  const io: CliIo = {
    stdout: { write: () => undefined }, stderr: { write: (t: string) => { stderr += t; } }, env: {},
    onInterrupt: (handler) => { interrupt = handler; return () => { interrupt = undefined; }; },
    ...(answer === undefined ? {} : { ask: async () => answer }),
  };
  const ctx: CliContext = {
    io, client, json: false, language: 'zh-CN', positionals: [], options: {}, commands: [],
    printJson: () => undefined, print: () => undefined,
  };
  return { ctx, posted, stderr: () => stderr, listening: () => interrupt !== undefined };
}

describe('Ctrl-C while following a job', () => {
  it('without a terminal leaves the job running: JobLeftRunning, nothing posted, the handler removed', async () => {
    const s = setting(undefined);
    await expect(watchJob(s.ctx, '0f6c2a8e-3c1d-4b7e-9a55-6d2f1e0b9c44')).rejects.toBeInstanceOf(JobLeftRunning);
    expect(s.posted).toEqual([]);
    expect(s.listening()).toBe(false);
  });

  it('on a terminal, Enter leaves it running; c cancels it and follows it to its end', async () => {
    const left = setting('');
    await expect(watchJob(left.ctx, '0f6c2a8e-3c1d-4b7e-9a55-6d2f1e0b9c44')).rejects.toBeInstanceOf(JobLeftRunning);
    const cancel = setting('c');
    const ended = await watchJob(cancel.ctx, '0f6c2a8e-3c1d-4b7e-9a55-6d2f1e0b9c44');
    expect(cancel.posted).toEqual(['/v1/jobs/0f6c2a8e-3c1d-4b7e-9a55-6d2f1e0b9c44/cancel']);
    expect(ended.state).toBe('cancelled');
    expect(cancel.stderr()).toMatch(/已请求取消任务/);
  });

  it('runCli exits 130 and says how to find the job again', async () => {
    let stderr = '';
    const command: Command = {
      name: 'follow', summary: 'test', usage: 'follow', positionals: [],
      run: async () => { throw new JobLeftRunning('0f6c2a8e'); },
    };
    const code = await runCli(['follow', '--lang', 'zh'], {
      stdout: { write: () => undefined }, stderr: { write: (t: string) => { stderr += t; } }, env: { FISCALD_URL: 'http://127.0.0.1:1' },
    }, [command]);
    expect(code).toBe(130);
    expect(stderr).toMatch(/fiscalctl watch 0f6c2a8e/);
    expect(stderr).toMatch(/fiscalctl cancel 0f6c2a8e/);
  });
});

describe('short job ids', () => {
  const ids = ['0f6c2a8e-3c1d-4b7e-9a55-6d2f1e0b9c44', '0f6d0000-0000-4000-8000-000000000000', 'a1b2c3d4-0000-4000-8000-000000000000'];
  const ctx = (requests: string[]) => ({
    language: 'en', client: { get: async (path: string) => { requests.push(path); return { jobs: ids.map((id) => job(id)) }; } },
  }) as unknown as CliContext;

  it('a unique prefix (with or without the table\'s …) resolves; a whole id is used without listing', async () => {
    const requests: string[] = [];
    expect(await resolveJobId(ctx(requests), '0f6c2a')).toBe(ids[0]);
    expect(await resolveJobId(ctx(requests), 'A1B2C3D4…')).toBe(ids[2]);
    expect(requests).toEqual(['/v1/jobs?limit=1000', '/v1/jobs?limit=1000']);
    expect(await resolveJobId(ctx(requests), ids[1]!)).toBe(ids[1]);
    expect(requests).toHaveLength(2);
  });

  it('an ambiguous prefix is a usage error listing the candidates; none is JOB_NOT_FOUND (exit 1)', async () => {
    await expect(resolveJobId(ctx([]), '0f6')).rejects.toSatisfy((error: unknown) => error instanceof GatewayError && error.code === 'CLI_USAGE'
      && String(error.params.detail).includes(ids[0]!) && String(error.params.detail).includes(ids[1]!));
    await expect(resolveJobId(ctx([]), 'ffff')).rejects.toSatisfy((error: unknown) => error instanceof GatewayError && error.code === 'JOB_NOT_FOUND');
  });
});
