import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, runFiscalctl, startDaemon, type RunningDaemon } from '../helpers/daemon.js';

let daemon: RunningDaemon;
let deviceId: string;

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${daemon.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${daemon.token}`, 'x-operator': 'e2e', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as T };
}

interface Job { id: string; state: string; result: Record<string, unknown> | null; error: { code: string } | null }

async function settled(id: string): Promise<Job> {
  for (let i = 0; i < 300; i += 1) {
    const { json } = await api<Job>('GET', `/v1/jobs/${id}`);
    if (json.state !== 'running') return json;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not end`);
}

beforeAll(async () => {
  // Untimed registers: the deregistration's backup of a year of sales then takes seconds, not minutes.
  daemon = await startDaemon({ simulate: 2, args: ['--simulator-timing', '{"timed":false}'] });
  const { json } = await api<{ devices: { id: string; transport: { path: string } }[] }>('GET', '/v1/devices');
  // The second simulated register is the initialized one, with a year of history.
  deviceId = json.devices.find((d) => d.transport.path === 'memory:sim-2')!.id;
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  if (daemon) removeDataDir(daemon.dataDir);
});

describe('rolls, changes and deregistration against fiscald --simulate', () => {
  it('POST /rolls mounts a roll; fiscalctl roll mounts the next one', async () => {
    const started = await api<{ job: Job }>('POST', `/v1/devices/${deviceId}/rolls`, {});
    expect(started.status).toBe(202);
    const job = await settled(started.json.job.id);
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ roll: { start: 1, end: 100 }, recovered: false });
    const cli = await runFiscalctl(daemon, ['roll', deviceId, '--yes', '--json']);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ roll: { roll: { start: 101, end: 200 } } });
  }, 60_000);

  it('a TIN change is refused with its own code through the CLI (exit 3), a name change goes through 62', async () => {
    const tin = await runFiscalctl(daemon, ['change', deviceId, 'tax-registration', '--tax-registration-number', 'X1', '--taxpayer-id', '91440300MA5FZZZZ9Z', '--yes', '--json']);
    expect(tin.code).toBe(3);
    expect(JSON.parse(tin.stdout)).toMatchObject({ job: { error: { code: 'CHANGE_TAXPAYER_ID_CHANGE' } } });
    const name = await runFiscalctl(daemon, ['change', deviceId, 'basic-info', '--taxpayer-name', '深圳市改名测试有限公司', '--yes', '--json']);
    expect(name.code).toBe(0);
    expect(JSON.parse(name.stdout)).toMatchObject({ change: { register: 'gb-link-62', after: { register: { taxpayerName: '深圳市改名测试有限公司' } } } });
  }, 60_000);

  it('fiscalctl deregister refuses the undeclared period, then with --allow-undeclared prints the service record', async () => {
    const refused = await runFiscalctl(daemon, ['deregister', deviceId, '--yes', '--json']);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout)).toMatchObject({ job: { error: { code: 'DEREG_UNDECLARED_PERIOD' } } });
    const done = await runFiscalctl(daemon, ['deregister', deviceId, '--yes', '--allow-undeclared', '--note', 'e2e'], { LANG: 'zh_CN.UTF-8' });
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('税控收款机注销服务记录');
    expect(done.stdout).toMatch(/数据备份：\S+/);
    const records = await api<{ records: { action: string; result: string }[] }>('GET', `/v1/records?device=${encodeURIComponent(deviceId)}`);
    expect(records.json.records.some((r) => r.action === 'deregister' && r.result === 'succeeded')).toBe(true);
  }, 120_000);
});
