import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../contracts/errors/index.js';
import { cliTextEntries, languageFromEnv } from '../../../src/cli/cliText.js';
import { commandTable } from '../../../src/cli/commandTable.js';
import { runCli } from '../../../src/cli/runCli.js';
import { englishWords } from './englishWords.js';
import { harness, TOKEN, type Harness } from '../api/apiHarness.js';

let h: Harness;
let port = 0;
let dataDir: string;
beforeAll(async () => {
  h = await harness({ port: () => port });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
  dataDir = mkdtempSync(join(tmpdir(), 'fg-zh-'));
  writeFileSync(join(dataDir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
});
afterAll(async () => {
  await h.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** zh by the default rule: no LANG, LC_ALL or LC_MESSAGES at all. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}, extra: { ask?: (prompt: string) => Promise<string> } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; }, isTTY: false },
    env: { FISCALD_URL: `http://127.0.0.1:${port}`, FISCALD_DATA_DIR: dataDir, FISCAL_OPERATOR: '李工', ...env },
    ...extra,
  });
  return { code, stdout, stderr, all: stdout + stderr };
}

describe('fiscalctl in zh: no English words in human output (issue 14 acceptance)', () => {
  it('is zh when no locale variable is set, en for C or en_US, zh for zh_CN', () => {
    expect(languageFromEnv({})).toBe('zh-CN');
    expect(languageFromEnv({ LANG: 'C' })).toBe('en');
    expect(languageFromEnv({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(languageFromEnv({ LANG: 'zh_CN.UTF-8', LC_ALL: 'en_US.UTF-8' })).toBe('en');
  });

  it('every catalogue entry has both languages and its zh text holds no English word', () => {
    for (const [key, text] of cliTextEntries) {
      expect(text.en, key).not.toBe('');
      expect(englishWords(text['zh-CN'].replace(/\{\w+\}/g, ' ')), key).toEqual([]);
    }
  });

  it('general help, every command\'s help and --version', async () => {
    const general = await cli(['--help']);
    expect(general.code).toBe(0);
    expect(general.stdout).toMatch(/退出码/);
    expect(englishWords(general.all)).toEqual([]);
    for (const command of commandTable) {
      const help = await cli([command.name, '--help']);
      expect(help.code, command.name).toBe(0);
      expect(englishWords(help.all), command.name).toEqual([]);
    }
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^fiscalctl \d+\.\d+\.\d+\n$/);
  });

  it('usage errors, including the argument parser\'s, are in zh', async () => {
    for (const args of [['frobnicate'], ['info'], ['devices', '--bogus'], ['devices', 'extra'], ['jobs', '--device'], ['change', 'X', 'nope'], ['--lang', 'fr', 'devices']]) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(ExitCode.usage);
      expect(run.stderr, args.join(' ')).toMatch(/用法错误/);
      // What the user typed comes back as it was (the unknown command, the wrong value).
      expect(englishWords(args.reduce((text, arg) => text.split(arg).join(' '), run.all)), args.join(' ')).toEqual([]);
    }
  });

  it('commands that read: devices, info, jobs, records, diagnose, watch of a finished job by its short id, cancel of it', async () => {
    const diagnose = await cli(['diagnose', '1100000000000001']);
    expect(diagnose.code).toBe(0);
    const { jobs } = JSON.parse((await cli(['jobs', '--json'])).stdout) as { jobs: { id: string }[] };
    const short = jobs[0]!.id.slice(0, 8);
    for (const args of [['devices'], ['info', '1100000000000001'], ['jobs'], ['records'], ['watch', short]]) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(englishWords(run.all), `${args.join(' ')}\n${run.all}`).toEqual([]);
    }
    expect(englishWords(diagnose.all), diagnose.all).toEqual([]);
    const watched = await cli(['watch', short]);
    expect(watched.stdout).toBe(diagnose.stdout);
    const cancel = await cli(['cancel', short]);
    expect(cancel.code).toBe(ExitCode.failed);
    expect(cancel.stderr).toMatch(/JOB_ALREADY_FINISHED/);
    expect(englishWords(cancel.all)).toEqual([]);
  });

  it('state-changing commands refuse without a terminal and without --yes, naming --yes; --dry-run shows the plan', async () => {
    for (const args of [['roll', '1100000000000001'], ['deregister', '1100000000000001'], ['change', '1100000000000001', 'basic-info', '--address', '深圳市'],
      ['restore', '1100000000000001', '--backup', 'B']]) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(ExitCode.usage);
      expect(run.stderr).toMatch(/--yes/);
      expect(englishWords(run.all), `${args.join(' ')}\n${run.all}`).toEqual([]);
      if (args[0] !== 'restore') {
        const dry = await cli([...args, '--dry-run']);
        expect(dry.code, args.join(' ')).toBe(0);
        expect(dry.stdout).toMatch(/将要执行/);
        expect(englishWords(dry.all), `${args.join(' ')}\n${dry.all}`).toEqual([]);
      }
    }
    // Limits are typed and shown in yuan (the API counts fen).
    const limits = await cli(['change', '1100000000000001', 'invoice-approval', '--approval-number', 'A1', '--single-limit', '5000.5', '--dry-run']);
    expect(limits.code).toBe(0);
    expect(limits.stdout).toContain('单张开票限额：5000.50 元');
    const badLimit = await cli(['change', '1100000000000001', 'invoice-approval', '--single-limit', '12.345', '--dry-run']);
    expect(badLimit.code).toBe(ExitCode.usage);
    expect(badLimit.stderr).toContain('须为以元计的金额');
        // On a terminal it asks; anything but yes changes nothing.
    const asked: string[] = [];
    const no = await cli(['roll', '1100000000000001'], {}, { ask: async (prompt) => { asked.push(prompt); return 'n'; } });
    expect(no.code).toBe(ExitCode.failed);
    expect(asked[0]).toMatch(/确认执行/);
    expect(no.stderr).toMatch(/什么都没有改变/);
  });
});

describe('exit codes per outcome kind match the README table', () => {
  const readme = () => import('node:fs').then((fs) => fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8'));

  it('not found is 1 for every command that names something', async () => {
    expect(await readme()).toMatch(/\| 1 \| failed \(also: the device, job, backup, reader or package named does not exist/);
    for (const args of [['info', 'NOPE'], ['card', 'NOPE'], ['backups', 'NOPE'], ['watch', 'NOPE'], ['cancel', 'NOPE'], ['diagnose', 'NOPE'],
      ['verify-backup', './nope.tar'], ['verify-backup', 'NOPE']]) {
      const run = await cli([...args, '--json']);
      expect(run.code, `${args.join(' ')} ${run.stdout}`).toBe(ExitCode.failed);
      expect(JSON.parse(run.stdout).code, args.join(' ')).toMatch(/NOT_FOUND$/);
    }
  });

  it('usage is 2, busy 4 and unreachable 5 for every command that asks fiscald', async () => {
    const text = await readme();
    expect(text).toMatch(/\| 2 \| usage/);
    expect(text).toMatch(/\| 4 \| device busy/);
    expect(text).toMatch(/\| 5 \| device unreachable/);
    const down = { FISCALD_URL: 'http://127.0.0.1:1' };
    for (const args of [['devices'], ['info', 'X'], ['jobs'], ['records'], ['backups', 'X'], ['watch', 'abc'], ['cancel', 'abc'], ['card']]) {
      expect((await cli([...args, '--json'], down)).code, args.join(' ')).toBe(ExitCode.unreachable);
      expect((await cli([...args, '--bogus'])).code, args.join(' ')).toBe(ExitCode.usage);
    }
    let open!: () => void;
    h.access.hold = new Promise<void>((resolve) => { open = resolve; });
    await h.request({ method: 'POST', url: '/v1/devices/1100000000000002/diagnostics', headers: { 'x-operator': 'x', host: `127.0.0.1:${port}` } });
    const busy = await cli(['diagnose', '1100000000000002', '--json']);
    const busyHuman = await cli(['diagnose', '1100000000000002']);
    open();
    expect(busyHuman.code).toBe(ExitCode.busy);
    // DEVICE_BUSY names the job; fiscalctl adds what kind of job holds the register.
    expect(busyHuman.stderr).toMatch(/设备正忙：故障诊断任务 [0-9a-f-]{36}/);
    expect(englishWords(busyHuman.all), busyHuman.all).toEqual([]);
    h.access.hold = undefined;
    expect(busy.code).toBe(ExitCode.busy);
  });
});
