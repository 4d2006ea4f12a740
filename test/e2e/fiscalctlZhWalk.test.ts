import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../contracts/errors/index.js';
import { commandTable } from '../../src/cli/commandTable.js';
import { runCli } from '../../src/cli/runCli.js';
import { freePort, removeDataDir, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { englishWords } from '../unit/cli/englishWords.js';

/**
 * Issue 14 acceptance, over a real `fiscald --simulate=2`: every fiscalctl command run in zh (no locale variable
 * set: zh by default) through a register's whole life — look, initialize, diagnose, certificates, back up, verify,
 * export, roll, change, packages, upgrade, restore plan, deregister, records (table and CSV), jobs, watch, cancel,
 * console — and its human output holds no ASCII word beyond codes, ids, options, paths and the short allow-list of
 * englishWords.ts (here without the option values that only help may name). Then each command's exit code for
 * not-found, usage, busy and unreachable, as README's table says. fiscalctl runs in this process (runCli).
 */
let daemon: RunningDaemon;
let work: string;
let fresh = '';
let history = '';
let machine = '';
const outputWords = new Set(['running', 'waiting', 'succeeded', 'failed', 'cancelled', 'fiscal', 'user', 'firmware', 'manifest', 'memory']);

/** englishWords without the words only help texts may show (option values such as `--state running`). */
function leaks(text: string): string[] {
  // A simulated register's transport path (memory:sim-1) is an id, like /dev/ttyUSB0.
  // Reader names are the PC/SC names their makers give (Simulated Reader 1 here, ACS ACR38U elsewhere).
  text = text.replace(/\bmemory:sim-\d+/g, ' ').replace(/Simulated Reader \d+/g, ' ');
  const words = text.replace(/[\w.-]*\/[\w./-]*/g, ' ').replace(/(^|\s)--?[a-z][a-z-]*/g, ' ').match(/[A-Za-z]+/g) ?? [];
  return englishWords(text).concat(words.filter((w) => outputWords.has(w)));
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; }, isTTY: false },
    env: { FISCALD_URL: daemon.url, FISCALD_DATA_DIR: daemon.dataDir, FISCAL_OPERATOR: '李工', PATH: process.env.PATH, ...env },
  });
  return { code, stdout, stderr, all: stdout + stderr };
}

const walked = new Set<string>();

/** Runs a command in zh, expects its exit code, and finds no English in what it printed. */
async function zh(args: string[], code: number | 'any' = ExitCode.ok): Promise<{ stdout: string; all: string }> {
  const run = await cli(args);
  walked.add(args[0]!);
  if (code !== 'any') expect.soft(run.code, `fiscalctl ${args.join(' ')}\n${run.all}`).toBe(code);
  const typed = args.filter((a) => !a.startsWith('-')).slice(1);
  const said = typed.reduce((text, arg) => text.split(arg).join(' '), run.all);
  expect.soft(leaks(said), `fiscalctl ${args.join(' ')}\n${run.all}`).toEqual([]);
  return run;
}

async function api<T>(path: string): Promise<T> {
  return (await (await fetch(`${daemon.url}${path}`, { headers: { authorization: `Bearer ${daemon.token}` } })).json()) as T;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fg-zh-walk-'));
  mkdirSync(join(work, 'trusted'));
  // Two registers are all the walk uses (a new one, and one with a year of history to keep busy); a third would only be seeded.
  // The line stays timed (the busy case needs a long backup); initialization and restarts are quick, the walk is about what is said.
  daemon = await startDaemon({ simulate: 2, args: ['--trusted-keys', join(work, 'trusted'), '--simulator-timing', JSON.stringify({ initializeMs: 200, rebootMs: 200 })] });
  const { devices } = await api<{ devices: { id: string; transport: { path: string }; identity: { machineNumber: string } }[] }>('/v1/devices');
  fresh = devices.find((d) => d.transport.path === 'memory:sim-1')!.id;
  history = devices.find((d) => d.transport.path === 'memory:sim-2')!.id;
  machine = devices.find((d) => d.transport.path === 'memory:sim-1')!.identity.machineNumber;
}, 90_000);

afterAll(async () => {
  await daemon?.stop();
  if (daemon) removeDataDir(daemon.dataDir);
  rmSync(work, { recursive: true, force: true });
});

describe('every fiscalctl command in zh over a register\'s life (issue 14 acceptance)', () => {
  it('looks, initializes, diagnoses, certifies, backs up, verifies, exports, rolls, changes', async () => {
    await zh(['devices']);
    await zh(['info', fresh]);
    const readers = await zh(['card']);
    expect(readers.stdout).toMatch(/稽查卡|有卡/);
    await zh(['card', 'Simulated Reader 1']);
    await zh(['init', fresh, '--dry-run']);
    await zh(['init', fresh, '--yes']);
    await zh(['diagnose', fresh]);
    const { jobs } = await api<{ jobs: { id: string; kind: string }[] }>('/v1/jobs?limit=5');
    const diagnosis = jobs.find((j) => j.kind === 'diagnostics')!.id;
    // A register just initialized and healthy: neither certificate applies (refused, exit 3), said in Chinese.
    await zh(['certificate', 'fault', diagnosis], ExitCode.refused);
    await zh(['certificate', 'not-initialized', diagnosis], ExitCode.refused);
    await zh(['backup', fresh]);
    await zh(['backups', fresh]);
    const { backups: listed } = await api<{ backups: { id: string }[] }>(`/v1/devices/${encodeURIComponent(fresh)}/backups`);
    await zh(['verify-backup', listed[0]!.id]);
    await zh(['export-backup', listed[0]!.id, '--to', join(work, 'no-stick')], ExitCode.failed);
    await zh(['roll', fresh, '--dry-run']);
    await zh(['roll', fresh, '--yes']);
    await zh(['change', fresh, 'basic-info', '--address', '深圳市南山区科技园', '--dry-run']);
    await zh(['change', fresh, 'basic-info', '--address', '深圳市南山区科技园', '--yes']);
    // A backup of this same register: refused before any plan (a restore goes onto a replacement), said in Chinese.
    await zh(['restore', fresh, '--backup', listed[0]!.id, '--dry-run'], ExitCode.refused);
  }, 240_000);

  it('builds, verifies, uploads and installs a firmware package', async () => {
    await zh(['package', 'keygen', '--out', join(work, 'vendor')]);
    copyFileSync(join(work, 'vendor.pub'), join(work, 'trusted', 'vendor.pub'));
    writeFileSync(join(work, 'fw.bin'), Buffer.alloc(8 * 1024, 0x5a));
    const { devices } = await api<{ devices: { id: string; identity: { model: string } }[] }>('/v1/devices');
    const model = devices.find((d) => d.id === fresh)!.identity.model;
    const file = join(work, 'fw.fwpkg');
    await zh(['package', 'build', '--image', join(work, 'fw.bin'), '--version', '9.1.0', '--model', model, '--lowest', '0.0.1', '--key', join(work, 'vendor.key'), '-o', file]);
    await zh(['package', 'verify', file, '--trusted-keys', join(work, 'trusted')]);
    await zh(['package', 'inspect', file]);
    await zh(['package', 'upload', file]);
    await zh(['package', 'list']);
    await zh(['upgrade', fresh, '--package', file, '--dry-run']);
    await zh(['upgrade', fresh, '--package', file, '--yes']);
    await zh(['upgrade', fresh, '--package', file, '--yes'], ExitCode.refused);
  }, 240_000);

  it('deregisters with its printable record in local time; records, CSV, jobs, watch, cancel, console', async () => {
    await zh(['deregister', fresh, '--dry-run']);
    const record = await zh(['deregister', fresh, '--yes']);
    expect(record.all).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    // The instruction to take the fiscal card out is said once.
    expect(record.stdout.match(/取出税控卡/g)).toHaveLength(1);
    await zh(['records']);
    await zh(['records', '--device', machine]);
    const csv = await zh(['records', '--format', 'csv']);
    expect(csv.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    await zh(['records', '--follow-ups']);
    await zh(['records', '--report', '--month', new Date().toISOString().slice(0, 7)]);
    const report = await zh(['records', '--report', '--month', new Date().toISOString().slice(0, 7), '--format', 'csv']);
    expect(report.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    await zh(['jobs']);
    const { jobs } = await api<{ jobs: { id: string }[] }>('/v1/jobs?limit=1');
    await zh(['watch', jobs[0]!.id.slice(0, 8)]);
    await zh(['cancel', jobs[0]!.id.slice(0, 8)], ExitCode.failed);
    await zh(['console', '--no-open']);
    // Commands a later engineer adds are walked here too (no vendor repository is configured: its status says so).
    if (commandTable.some((c) => c.name === 'repo')) await zh(['repo', 'status'], 'any');
    const notWalked = commandTable.map((c) => c.name).filter((name) => !walked.has(name));
    expect(notWalked).toEqual([]);
  }, 240_000);
});

/** The exit code README's table gives the outcome whose row starts with `outcome` (| code | outcome |). */
function readmeCode(outcome: string): number {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const row = new RegExp(`^\\| (\\d) \\| ${outcome}`, 'm').exec(readme);
  if (!row) throw new Error(`README has no exit-code row for "${outcome}"`);
  return Number(row[1]);
}

describe('exit codes per outcome kind, every command, as README\'s table says', () => {
  const ids: Record<string, string[]> = {
    info: ['NOPE'], diagnose: ['NOPE'], backup: ['NOPE'], backups: ['NOPE'], 'verify-backup': ['NOPE'], 'export-backup': ['NOPE'],
    restore: ['NOPE', '--backup', 'NOPE', '--yes'], card: ['NOPE'], init: ['NOPE', '--yes'], change: ['NOPE', 'basic-info', '--address', '甲', '--yes'],
    roll: ['NOPE', '--yes'], deregister: ['NOPE', '--yes'], watch: ['NOPE'], cancel: ['NOPE'], upgrade: ['NOPE', '--package', '0'.repeat(32), '--yes'],
    certificate: ['fault', 'NOPE'], package: ['delete', '0'.repeat(32)],
  };

  it('not found is 1 for every command that names something', async () => {
    for (const [name, args] of Object.entries(ids)) {
      const run = await cli([name, ...args, '--json']);
      expect(run.code, `${name} ${run.stdout}`).toBe(readmeCode('failed \\(also: the device, job, backup, reader or package named does not exist'));
      expect(JSON.parse(run.stdout).code, name).toMatch(/NOT_FOUND$/);
    }
  });

  it('usage is 2 for every command', async () => {
    for (const command of commandTable) {
      const run = await cli([command.name, '--bogus']);
      expect(run.code, command.name).toBe(readmeCode('usage'));
      expect(leaks(run.all.replace('--bogus', ' ')), run.all).toEqual([]);
    }
  });

  it('busy is 4 for every command that changes or reads a register another job holds', async () => {
    const started = await fetch(`${daemon.url}/v1/devices/${encodeURIComponent(history)}/backups`, {
      method: 'POST', headers: { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json', 'x-operator': 'test' }, body: '{}',
    });
    const { job } = (await started.json()) as { job: { id: string } };
    try {
      for (const args of [['diagnose', history], ['backup', history], ['init', history, '--yes'], ['roll', history, '--yes'], ['deregister', history, '--yes'],
        ['change', history, 'basic-info', '--address', '甲', '--yes'], ['upgrade', history, '--package', '0'.repeat(32), '--yes']]) {
        const run = await cli(args);
        expect(run.code, `${args.join(' ')}\n${run.all}`).toBe(readmeCode('device busy'));
        expect(leaks(run.all), run.all).toEqual([]);
      }
    } finally {
      await fetch(`${daemon.url}/v1/jobs/${job.id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${daemon.token}`, 'x-operator': 'test' } });
    }
  }, 60_000);

  it('unreachable is 5 for every command that asks fiscald', async () => {
    // A closed loopback port (fetch refuses port 1 itself, as a 'bad port', before any connection).
    const down = { FISCALD_URL: `http://127.0.0.1:${await freePort()}` };
    const asks: string[][] = [['devices'], ['jobs'], ['records'], ['console', '--no-open'], ['package', 'list'], ...Object.entries(ids)
      .filter(([name]) => name !== 'verify-backup' || true).map(([name, args]) => [name, ...args])];
    for (const args of asks) {
      const run = await cli(args, down);
      expect(run.code, `${args.join(' ')}\n${run.all}`).toBe(readmeCode('device unreachable'));
      expect(leaks(run.all), run.all).toEqual([]);
    }
  });
});
