import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/runCli.js';
import { harness, TOKEN, type Harness } from '../api/apiHarness.js';

let h: Harness;
let port = 0;
let dataDir: string;
beforeAll(async () => {
  h = await harness({ port: () => port });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
  dataDir = mkdtempSync(join(tmpdir(), 'fg-rec-'));
  writeFileSync(join(dataDir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
});
afterAll(async () => {
  await h.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: (t: string) => { stderr += t; }, isTTY: false },
    env: { FISCALD_URL: `http://127.0.0.1:${port}`, FISCALD_DATA_DIR: dataDir, LANG: 'C', FISCAL_OPERATOR: '李工' },
  });
  return { code, stdout, stderr };
}

describe('fiscalctl records --follow-ups / --follow-up-done / --report', () => {
  it('lists a repair\'s follow-up, records it done, and reports the month in Chinese', async () => {
    const repair = (await h.request({
      method: 'POST', url: '/v1/records/repairs', headers: { host: `127.0.0.1:${port}`, 'x-operator': 'li' }, payload: { device: '1100000000000001', checks: ['clock'], work: 'clock set' },
    })).json();
    expect(repair.id).toBeGreaterThan(0);
    const all = await cli(['records', '--follow-ups', '--all', '--lang', 'zh']);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/回访期限/);
    expect(all.stdout).toMatch(/维修\s+.*未到期/);
    const usage = await cli(['records', '--follow-up-done', String(repair.id)]);
    expect(usage.code).toBe(2);
    const done = await cli(['records', '--follow-up-done', String(repair.id), '--outcome', '用户确认正常', '--lang', 'zh']);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('已登记回访');
    const again = await cli(['records', '--follow-up-done', String(repair.id), '--outcome', '再次', '--json']);
    expect(again.code).toBe(3);
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const report = await cli(['records', '--report', '--month', month, '--lang', 'zh']);
    expect(report.stdout).toMatch(new RegExp(`${month} 服务情况：业务 2 次`));
    expect(report.stdout).toMatch(/维修\s+1\s+1/);
    expect((await cli(['records', '--report', '--month', month, '--format', 'csv'])).stdout.startsWith('\uFEFF月份')).toBe(true);
    expect((await cli(['records', '--report', '--month', month, '--format', 'html'])).stdout).toContain('<!doctype html>');
  });

  it('fiscalctl certificate repair RECORD prints the form in Chinese, writes the printable page with --out, refuses an unknown kind', async () => {
    const repair = (await h.request({
      method: 'POST', url: '/v1/records/repairs', headers: { host: `127.0.0.1:${port}`, 'x-operator': 'li' },
      payload: { device: '1100000000000001', checks: ['self-check.ram'], work: '更换内存条' },
    })).json();
    const text = await cli(['certificate', 'repair', String(repair.id), '--lang', 'zh']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('税控装置维修记录表（表单-06）');
    expect(text.stdout).toContain('维修内容：更换内存条');
    const out = join(dataDir, 'repair.html');
    expect((await cli(['certificate', 'repair', String(repair.id), '--format', 'html', '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('用户（签字）');
    expect((await cli(['certificate', 'warranty', '1'])).code).toBe(2);
    expect((await cli(['certificate', 'fault', 'no-such-diagnosis', '--json'])).code).toBe(1);
  });
});
