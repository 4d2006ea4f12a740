import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { CliContext } from '../../../src/cli/CliContext.js';
import { parseDeviceList, runUpgradeBatch } from '../../../src/cli/commands/upgradeBatch.js';
import { upgradeCommand } from '../../../src/cli/commands/upgradeCommand.js';
import type { DaemonClient } from '../../../src/cli/DaemonClient.js';
import type { JobView } from '../../../src/cli/types.js';
import { englishWords } from './englishWords.js';

type Outcome = 'verified' | 'reverted' | 'refused' | 'failed';

/** A fiscald stand-in: each device's upgrade ends as `outcomes` says after two polls; counts jobs running at once. */
function fakeDaemon(outcomes: Record<string, Outcome>) {
  const polls = new Map<string, number>();
  let running = 0;
  let mostAtOnce = 0;
  const posted: { device: string; body: unknown; key: string | undefined }[] = [];
  const versions: Record<string, string> = Object.fromEntries(Object.keys(outcomes).map((d) => [d, '2.3.1']));
  const jobOf = (device: string, state: JobView['state']): JobView => {
    const outcome = outcomes[device]!;
    const done = state !== 'running';
    return {
      id: `job-${device}`, kind: 'upgrade', deviceId: device, operator: 'li', state, stage: done ? 'verify' : 'write', fraction: done ? 1 : 0.5,
      etaSeconds: null, createdAt: '', finishedAt: done ? '' : null,
      result: done && outcome === 'verified' ? { before: '2.3.1', after: '2.4.0', verified: true, confirmed: true } : null,
      error: done && outcome === 'reverted' ? { code: 'UPGRADE_REVERTED', message: 'reverted', messageZh: '已退回', data: { reverted: true } } as JobView['error']
        : done && outcome === 'failed' ? { code: 'DEVICE_REATTACH_TIMEOUT', message: 'gone', messageZh: '未回来' } : null,
    };
  };
  const client = {
    get: async (path: string) => {
      if (path === '/v1/devices') return { devices: Object.keys(versions).map((id) => ({ id, identity: { firmwareVersion: versions[id] } })) };
      const device = path.replace('/v1/jobs/job-', '');
      const count = (polls.get(device) ?? 0) + 1;
      polls.set(device, count);
      if (count < 2) return jobOf(device, 'running');
      running--;
      if (outcomes[device] === 'verified') versions[device] = '2.4.0';
      return jobOf(device, outcomes[device] === 'verified' ? 'succeeded' : 'failed');
    },
    post: async (path: string, body: unknown, headers: Record<string, string>) => {
      const device = decodeURIComponent(path.split('/')[3]!);
      posted.push({ device, body, key: headers['idempotency-key'] });
      if (outcomes[device] === 'refused') throw new GatewayError('UPGRADE_SAME_VERSION', { params: { version: '2.3.1' } });
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      return { job: jobOf(device, 'running') };
    },
  } as unknown as DaemonClient;
  return { client, posted, mostAtOnce: () => mostAtOnce };
}

function contextFor(client: DaemonClient, language: 'zh-CN' | 'en', options: { json?: boolean; tty?: boolean } = {}) {
  let stdout = '';
  const io = { stdout: { write: (t: string) => { stdout += t; }, isTTY: options.tty === true, columns: 120 }, stderr: { write: () => undefined }, env: {} };
  const ctx: CliContext = {
    io, client, json: options.json === true, language, positionals: [], options: {}, commands: [],
    printJson: (value) => io.stdout.write(`${JSON.stringify(value)}\n`), print: (text) => io.stdout.write(text),
  };
  return { ctx, out: () => stdout };
}

const batch = (devices: string[], concurrency = 4) => ({ devices, packageId: 'ab'.repeat(16), path: 'serial' as const, concurrency, allowDowngrade: false, reinstall: false, pollMs: 1 });

describe('fiscalctl upgrade --devices FILE (issue 11 item 9)', () => {
  it('reads the list: a header, comments, blank lines, quotes and other columns; a repeat or a bad id is a usage error', () => {
    expect(parseDeviceList('\uFEFFid,site\n# shop 1\n1100000000000001,Haidian\n\n"1100000000000002",x\n1100000000000003\r\n')).toEqual(['1100000000000001', '1100000000000002', '1100000000000003']);
    expect(parseDeviceList('设备编号\n1100000000000001')).toEqual(['1100000000000001']);
    expect(() => parseDeviceList('1100000000000001\n1100000000000001')).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
    expect(() => parseDeviceList('1100000000000001\nbad id!')).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
    expect(() => parseDeviceList('# nothing\n')).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
  });

  it('one job per register, each with its own Idempotency-Key, never more than --concurrency at once; exit 0 when every register verified', async () => {
    const devices = ['D1', 'D2', 'D3', 'D4', 'D5'];
    const daemon = fakeDaemon(Object.fromEntries(devices.map((d) => [d, 'verified' as const])));
    const { ctx, out } = contextFor(daemon.client, 'en');
    expect(await runUpgradeBatch(ctx, batch(devices, 2))).toBe(0);
    expect(daemon.posted.map((p) => p.device).sort()).toEqual(devices);
    expect(new Set(daemon.posted.map((p) => p.key)).size).toBe(5);
    expect(daemon.posted[0]!.body).toMatchObject({ package: 'ab'.repeat(16), path: 'serial', allowDowngrade: false, reinstall: false });
    expect(daemon.mostAtOnce()).toBe(2);
    expect(out()).toContain('5 of 5 registers upgraded and verified');
  });

  it('per-device result (before, after, verified, reverted, duration, error code) in --json; a mixed end exits 1', async () => {
    const daemon = fakeDaemon({ A: 'verified', B: 'reverted', C: 'refused' });
    const { ctx, out } = contextFor(daemon.client, 'en', { json: true });
    expect(await runUpgradeBatch(ctx, batch(['A', 'B', 'C']))).toBe(1);
    const doc = JSON.parse(out()) as { devices: Record<string, unknown>[]; total: number; verified: number };
    expect(doc).toMatchObject({ total: 3, verified: 1 });
    expect(doc.devices[0]).toMatchObject({ device: 'A', state: 'verified', before: '2.3.1', after: '2.4.0', verified: true, reverted: false, errorCode: null, jobId: 'job-A' });
    expect(doc.devices[1]).toMatchObject({ device: 'B', state: 'reverted', before: '2.3.1', after: '2.3.1', verified: false, reverted: true, errorCode: 'UPGRADE_REVERTED' });
    expect(doc.devices[2]).toMatchObject({ device: 'C', state: 'refused', jobId: null, verified: false, errorCode: 'UPGRADE_SAME_VERSION' });
    for (const device of doc.devices) expect(typeof device.durationSeconds).toBe('number');
  });

  it('every register refused: exit 3, the code they share', async () => {
    const daemon = fakeDaemon({ A: 'refused', B: 'refused' });
    const { ctx } = contextFor(daemon.client, 'en', { json: true });
    expect(await runUpgradeBatch(ctx, batch(['A', 'B']))).toBe(3);
  });

  it('without a terminal: a line when each register starts and ends, then the table; in zh not one English word', async () => {
    const daemon = fakeDaemon({ '1100000000000001': 'verified', '1100000000000002': 'failed', '1100000000000003': 'reverted' });
    const { ctx, out } = contextFor(daemon.client, 'zh-CN');
    expect(await runUpgradeBatch(ctx, batch(['1100000000000001', '1100000000000002', '1100000000000003']))).toBe(1);
    const text = out();
    expect(text).toContain('收款机 1100000000000001：升级任务 job-1100000000000001 已开始');
    expect(text).toContain('收款机 1100000000000001：已核对，2.3.1 → 2.4.0');
    expect(text).toContain('DEVICE_REATTACH_TIMEOUT');
    expect(text).toContain('共 3 台收款机，1 台升级后核对无误');
    expect(text).not.toContain('\x1b[');
    expect(englishWords(text.replace(/job-\d+/g, ''))).toEqual([]);
  });

  it('on a terminal the table is redrawn in place', async () => {
    const daemon = fakeDaemon({ A: 'verified', B: 'verified' });
    const { ctx, out } = contextFor(daemon.client, 'en', { tty: true });
    expect(await runUpgradeBatch(ctx, batch(['A', 'B'], 1))).toBe(0);
    expect(out()).toMatch(/\x1b\[\d+A\x1b\[J/);
    expect(out()).toContain('VERIFIED');
    expect(out()).not.toContain('upgrade job job-A started');
  });

  it('the command: ID or --devices, not both, not neither; --dry-run shows the plan for the list without asking fiscald', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'batch-'));
    try {
      const file = join(dir, 'list.csv');
      await writeFile(file, 'id\n1100000000000001\n1100000000000002\n');
      const daemon = fakeDaemon({});
      const { ctx, out } = contextFor(daemon.client, 'zh-CN');
      await expect(upgradeCommand.run({ ...ctx, positionals: ['X'], options: { package: 'p.fwpkg', devices: file } })).rejects.toMatchObject({ code: 'CLI_USAGE' });
      await expect(upgradeCommand.run({ ...ctx, positionals: [], options: { package: 'p.fwpkg' } })).rejects.toMatchObject({ code: 'CLI_USAGE' });
      await expect(upgradeCommand.run({ ...ctx, options: { package: 'p.fwpkg', devices: file, concurrency: '0' } })).rejects.toMatchObject({ code: 'CLI_USAGE' });
      expect(await upgradeCommand.run({ ...ctx, options: { package: 'p.fwpkg', devices: file, 'dry-run': true, concurrency: '2' } })).toBe(0);
      expect(out()).toContain('为清单中的 2 台收款机安装升级包 p.fwpkg（串口），同时最多 2 台');
      expect(out()).toContain('1100000000000001, 1100000000000002');
      expect(daemon.posted).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
