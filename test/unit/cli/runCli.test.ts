import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/runCli.js';
import { ProgressView } from '../../../src/cli/output/ProgressView.js';
import { commandTable } from '../../../src/cli/commandTable.js';
import { displayWidth, renderTable, TABLE_WIDTH } from '../../../src/cli/output/table.js';
import { exitCodeOf } from '../../../src/cli/exitCodeOf.js';
import { harness, TOKEN, type Harness } from '../api/apiHarness.js';

let h: Harness;
let port = 0;
let dataDir: string;
beforeAll(async () => {
  h = await harness({ port: () => port });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
  dataDir = mkdtempSync(join(tmpdir(), 'fg-cli-'));
  writeFileSync(join(dataDir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
});
afterAll(async () => {
  await h.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; }, isTTY: false },
    env: { FISCALD_URL: `http://127.0.0.1:${port}`, FISCALD_DATA_DIR: dataDir, LANG: 'C', FISCAL_OPERATOR: '李工', ...env },
  });
  return { code, stdout, stderr };
}

describe('fiscalctl', () => {
  it('devices --json prints JSON only; the table lists the same ids; the token comes from the data dir', async () => {
    const json = await cli(['devices', '--json']);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout).devices.map((d: { id: string }) => d.id)).toEqual(['1100000000000001', '1100000000000002', 'OFF']);
    const table = await cli(['devices']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATE\s+FISCAL\s+TAXPAYER/);
    // Nine columns in 100: a cell may wrap under itself ('online' / '(sim)'), the id and the state start each row.
    for (const id of ['1100000000000001', '1100000000000002']) expect(table.stdout).toMatch(new RegExp(`^${id}\\s+online\\s`, 'm'));
    expect(table.stdout).toMatch(/^OFF\s+offline\s/m);
    expect(table.stdout).toContain('(sim)');
  });

  it('info ID, and DEVICE_NOT_FOUND as a problem object with its catalogue exit code', async () => {
    expect((await cli(['info', '1100000000000001'])).stdout).toMatch(/firmware\s+1\.2\.3/);
    const missing = await cli(['--json', 'info', 'NOPE']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ code: 'DEVICE_NOT_FOUND', status: 404 });
  });

  it('diagnose runs the job, prints the verdict in the chosen language, and records the operator', async () => {
    const run = await cli(['diagnose', '1100000000000002', '--lang', 'zh']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/收款机状态正常/);
    expect(run.stderr).toMatch(/诊断任务/);
    expect(run.stderr).toMatch(/100%/);
    const records = JSON.parse((await cli(['records', '--json', '--device', '1100000000000002'])).stdout).records;
    expect(records.at(-1)).toMatchObject({ operator: '李工', action: 'diagnostics', result: 'succeeded' });
    // CSV: one value per cell, names in the chosen language, the register's local time (UTC+8), no JSON.
    const csv = await cli(['records', '--format', 'csv']);
    expect(csv.stdout.startsWith('\uFEFFrecord,time,machine number,device,action,result,error code,operator,job\r\n')).toBe(true);
    const zh = await cli(['records', '--format', 'csv'], { LANG: 'zh_CN.UTF-8' });
    expect(zh.stdout.startsWith('\uFEFF记录号,时间,机器编号,设备,操作,结果,错误代码,操作员,任务\r\n')).toBe(true);
    const last = zh.stdout.trimEnd().split('\r\n').at(-1)!;
    expect(last).toMatch(/^\d+,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,1100000000000002,1100000000000002,故障诊断,成功,,李工,[0-9a-f-]{36}$/);
    const at = records.at(-1).at as string;
    const local = new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(last).toContain(local);
  });

  it('exits 4 with the running job id when the device is busy, and watch follows that job to its end', async () => {
    let open!: () => void;
    h.access.hold = new Promise<void>((resolve) => { open = resolve; });
    const first = await h.request({ method: 'POST', url: '/v1/devices/1100000000000001/diagnostics', headers: { 'x-operator': 'x', host: `127.0.0.1:${port}` } });
    const jobId = first.json().job.id as string;
    const busy = await cli(['diagnose', '1100000000000001', '--json']);
    expect(busy.code).toBe(4);
    expect(JSON.parse(busy.stdout)).toMatchObject({ code: 'DEVICE_BUSY', jobId });
    const watching = cli(['watch', jobId, '--json']);
    setTimeout(() => open(), 50);
    const watched = await watching;
    h.access.hold = undefined;
    expect(watched.code).toBe(0);
    expect(JSON.parse(watched.stdout)).toMatchObject({ job: { id: jobId, state: 'succeeded' }, report: { verdict: expect.any(String) } });
    const jobs = JSON.parse((await cli(['jobs', '--json', '--device', '1100000000000001'])).stdout).jobs;
    expect(jobs[0].id).toBe(jobId);
  });

  it('exits 2 on usage errors and 0 on --help', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['info'])).code).toBe(2);
    expect((await cli(['devices', '--bogus'])).code).toBe(2);
    expect((await cli([])).code).toBe(2);
    const usage = await cli(['records', '--json', '--format', 'csv']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout).code).toBe('CLI_USAGE');
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 done/);
    expect((await cli(['watch', '--help'])).stdout).toMatch(/fiscalctl watch JOB/);
  });

  it('exits 1 UNAUTHORIZED on a wrong token and 5 DAEMON_UNREACHABLE when nothing listens', async () => {
    const wrong = await cli(['devices', '--json'], { FISCALD_TOKEN: 'nope' });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).code).toBe('UNAUTHORIZED');
    const down = await cli(['devices', '--json'], { FISCALD_URL: 'http://127.0.0.1:1', FISCALD_DATA_DIR: join(dataDir, 'none') });
    expect(down.code).toBe(5);
    expect(JSON.parse(down.stdout).code).toBe('DAEMON_UNREACHABLE');
    const downWithToken = await cli(['devices'], { FISCALD_URL: 'http://127.0.0.1:1' });
    expect(downWithToken.code).toBe(5);
    expect(downWithToken.stderr).toMatch(/Cannot reach fiscald/);
  });
});

describe('--json: stdout is one JSON document for every command, errors included', () => {
  /** Arguments that make each command fail against this daemon (unknown ids, areas it does not serve, missing options). */
  const failing: Record<string, string[]> = {
    devices: ['devices', '--limit', '3'], info: ['info', 'NOPE'], diagnose: ['diagnose', 'NOPE'], jobs: ['jobs', '--limit', '0'],
    watch: ['watch', 'NOPE'], cancel: ['cancel', 'NOPE'], console: ['console', '--bogus'], records: ['records', '--since', 'soon'], backup: ['backup', 'NOPE'], backups: ['backups', 'NOPE'],
    'verify-backup': ['verify-backup', 'NOPE'], 'export-backup': ['export-backup', 'NOPE'], restore: ['restore', '1100000000000001'], card: ['card', 'NOPE'], init: ['init', 'NOPE'], certificate: ['certificate', 'fault', 'NOPE'],
    change: ['change', 'NOPE', 'basic-info', '--taxpayer-name', 'x'], roll: ['roll', 'NOPE'], deregister: ['deregister', 'NOPE'], upgrade: ['upgrade', 'NOPE'],
    package: ['package', 'verify', 'NOPE.fwpkg'], repo: ['repo', 'publish', 'NOPE'],
  };

  it.each(commandTable.map((c) => c.name))('%s', async (name) => {
    const args = failing[name];
    expect(args, `a failing invocation of ${name} is listed here`).toBeDefined();
    const run = await cli([...args!, '--json']);
    expect(run.stderr, name).toBe('');
    const problem = JSON.parse(run.stdout) as { code: string };
    expect(typeof problem.code, run.stdout).toBe('string');
    expect(run.code, `${name} ${problem.code}`).toBe(exitCodeOf(problem.code));
    expect(run.code).not.toBe(0);
  });

  it('help and a missing command too', async () => {
    const help = await cli(['--help', '--json']);
    expect(help.code).toBe(0);
    expect((JSON.parse(help.stdout) as { commands: { name: string }[] }).commands.map((c) => c.name)).toEqual(commandTable.map((c) => c.name));
    const one = await cli(['init', '--help', '--json']);
    expect(JSON.parse(one.stdout)).toMatchObject({ name: 'init', options: expect.arrayContaining(['--yes', '--allow-last-pin-try']) });
    const none = await cli(['--json']);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).code).toBe('CLI_USAGE');
  });
});

describe('human output', () => {
  it('devices, info, jobs and records fit 100 columns, with zh-CN or en headers', async () => {
    await cli(['diagnose', '1100000000000001'], { FISCAL_OPERATOR: '王工程师（深圳市南山区服务网点，第三服务台）' });
    for (const language of ['en', 'zh']) {
      for (const args of [['devices'], ['info', '1100000000000001'], ['jobs'], ['records']]) {
        const run = await cli([...args, '--lang', language]);
        expect(run.code, args.join(' ')).toBe(0);
        for (const line of run.stdout.trimEnd().split('\n')) expect(displayWidth(line), `${args.join(' ')}: ${line}`).toBeLessThanOrEqual(TABLE_WIDTH);
        expect(/[\u4e00-\u9fff]/.test(run.stdout.split('\n')[0]!), `${args.join(' ')} --lang ${language} header`).toBe(language === 'zh');
      }
    }
  });
});

describe('output', () => {
  it('draws a bar on a TTY and plain lines otherwise', () => {
    let tty = '';
    const bar = new ProgressView({ write: (t) => { tty += t; } }, true, 10);
    bar.update({ fraction: 0.5, stage: 'write', etaSeconds: 75 });
    bar.finish();
    expect(tty).toContain('[#####-----]  50% write ETA 1m15s');
    let plain = '';
    const lines = new ProgressView({ write: (t) => { plain += t; } }, false);
    for (const fraction of [0, 0.01, 0.02, 0.15, 0.16, 1]) lines.update({ fraction, stage: 's', etaSeconds: null });
    expect(plain.trimEnd().split('\n')).toEqual(['  0% s', ' 15% s', '100% s']);
  });

  it('aligns tables by display width, CJK counting double', () => {
    expect(renderTable(['A', 'B'], [['王工', 1], ['x', null]])).toBe('A     B\n王工  1\nx     -\n');
  });
});
