import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { ensureToken, prepareDataDir, type DataDirLog } from '../../../src/daemon/dataDir.js';
import { loadDaemonConfig, parseDaemonArgs } from '../../../src/daemon/loadDaemonConfig.js';
import { defaultDataDir } from '../../../src/daemon/paths.js';
import { parseListen } from '../../../src/daemon/listenAddress.js';

const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'fg-cfg-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function load(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return loadDaemonConfig(parseDaemonArgs(argv), env);
}

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (error) { return isGatewayError(error) ? error.code : 'NOT_A_GATEWAY_ERROR'; }
  return undefined;
}

describe('fiscald configuration', () => {
  it('defaults to loopback 18240, no simulation, five-year retention', () => {
    const config = load([], { HOME: '/home/x' });
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 18240 });
    expect(config.simulate).toBe(0);
    expect(config.retention.recordYears).toBe(5);
    expect(config.trustedKeys).toBe(join(config.dataDir, 'trusted-keys'));
  });

  it('layers file < environment < flags, and --simulate alone means 2', () => {
    const dir = tmp();
    const file = join(dir, 'fiscald.json');
    writeFileSync(file, JSON.stringify({ listen: '127.0.0.1:1000', corsOrigins: ['https://a.example'], retention: { jobEventDays: 7 } }));
    const config = load(['--config', file, '--listen', '127.0.0.1:3000', '--simulate', '--data-dir', dir], { FISCALD_LISTEN: '127.0.0.1:2000', FISCALD_RETENTION_YEARS: '6' });
    expect(config.listen.port).toBe(3000);
    expect(config.simulate).toBe(2);
    expect(config.corsOrigins).toEqual(['https://a.example']);
    expect(config.retention).toMatchObject({ recordYears: 6, jobEventDays: 7 });
    expect(load(['--simulate=5']).simulate).toBe(5);
    // The figures themselves are checked by the simulation when --simulate loads it (simulation.test.ts).
    expect(load(['--simulator-timing', '{"selfCheckMs":900}']).simulatorTiming).toEqual({ selfCheckMs: 900 });
    expect(code(() => load(['--simulator-timing', '{"selfCheckMs":"slow"}']))).toBe('CONFIG_INVALID');
    expect(code(() => load([], { FISCALD_SIMULATOR_TIMING: 'fast' }))).toBe('CONFIG_INVALID');
    expect(load(['--simulator-profile', 'public+max-message=4096']).simulatorProfile).toBe('public+max-message=4096');
    expect(load([], { FISCALD_SIMULATOR_PROFILE: 'no-72' }).simulatorProfile).toBe('no-72');
    expect(load([], { FISCALD_LISTEN: '[::1]:4000' }).listen).toEqual({ host: '::1', port: 4000 });
  });

  it('refuses a non-loopback listen address unless --allow-remote', () => {
    expect(code(() => load(['--listen', '0.0.0.0:18240']))).toBe('LISTEN_NOT_LOOPBACK');
    expect(code(() => load(['--listen', '192.168.1.5:18240']))).toBe('LISTEN_NOT_LOOPBACK');
    expect(load(['--listen', '0.0.0.0:18240', '--allow-remote']).listen.host).toBe('0.0.0.0');
  });

  it('refuses bad values with CONFIG_INVALID: retention under five years, unknown flags and keys, bad origins', () => {
    expect(code(() => load(['--retention-years', '4']))).toBe('CONFIG_INVALID');
    expect(code(() => load(['--bogus']))).toBe('CONFIG_INVALID');
    expect(code(() => load(['--cors-origin', 'https://a.example/path']))).toBe('CONFIG_INVALID');
    expect(code(() => load(['--listen', 'localhost']))).toBe('CONFIG_INVALID');
    expect(code(() => parseListen('127.0.0.1:99999'))).toBe('CONFIG_INVALID');
    const dir = tmp();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ surprise: 1 }));
    expect(code(() => load(['--config', file]))).toBe('CONFIG_INVALID');
    expect(code(() => load([], { FISCALD_SIMULATE: 'many' }))).toBe('CONFIG_INVALID');
  });

  it('picks the data dir by user', () => {
    expect(defaultDataDir({}, 0)).toBe('/var/lib/fiscal-gateway');
    expect(defaultDataDir({ XDG_DATA_HOME: '/x/data' }, 1000)).toBe('/x/data/fiscal-gateway');
  });
});

/** A logger that keeps what was warned, to check the words and that no token is in them. */
function warnings() {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  return { lines, log: { warn: (fields: Record<string, unknown>, message: string) => { lines.push({ fields, message }); } } as unknown as DataDirLog };
}

describe('data dir and token', () => {
  it('creates the dir 0750 and the token 0640 (the service group reads it: fiscalctl without sudo) once, and keeps it across starts, without a warning', () => {
    const { lines, log } = warnings();
    const dir = join(tmp(), 'nested', 'data');
    prepareDataDir(dir, log);
    expect(statSync(dir).mode & 0o777).toBe(0o750);
    const first = ensureToken(dir, log);
    expect(first.created).toBe(true);
    expect(first.token.length).toBeGreaterThanOrEqual(40);
    expect(statSync(join(dir, 'token')).mode & 0o777).toBe(0o640);
    const second = ensureToken(dir, log);
    expect(second).toEqual({ token: first.token, created: false, rotated: false });
    expect(readFileSync(join(dir, 'token'), 'utf8').trim()).toBe(first.token);
    expect(lines).toEqual([]);
  });

  it('tightens a loose data dir to 0750 and warns with its path and old mode; 0750 and 0700 are kept', () => {
    const { lines, log } = warnings();
    const dir = tmp();
    chmodSync(dir, 0o755);
    prepareDataDir(dir, log);
    expect(statSync(dir).mode & 0o777).toBe(0o750);
    expect(lines).toEqual([{ fields: { path: dir, oldMode: '0755', newMode: '0750' }, message: expect.stringContaining('data dir') }]);
    chmodSync(dir, 0o700);
    prepareDataDir(dir, log);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(lines).toHaveLength(1);
  });

  it('a group-writable token file is tightened to 0640 with a warning and kept; a group-readable one is left as it is', () => {
    const { lines, log } = warnings();
    const dir = tmp();
    const path = join(dir, 'token');
    writeFileSync(path, 'a-token-that-is-long-enough\n', { mode: 0o600 });
    chmodSync(path, 0o660);
    expect(ensureToken(dir, log)).toEqual({ token: 'a-token-that-is-long-enough', created: false, rotated: false });
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(lines).toEqual([{ fields: { path, oldMode: '0660', newMode: '0640' }, message: expect.stringContaining('tightened') }]);
    ensureToken(dir, log);
    expect(lines).toHaveLength(1);
  });

  it('a token file others could read is tightened and the token rotated, logged without either token', () => {
    const { lines, log } = warnings();
    const dir = tmp();
    const path = join(dir, 'token');
    const old = 'a-token-that-is-long-enough';
    writeFileSync(path, `${old}\n`, { mode: 0o600 });
    chmodSync(path, 0o644);
    const result = ensureToken(dir, log);
    expect(result.rotated).toBe(true);
    expect(result.token).not.toBe(old);
    expect(result.token.length).toBeGreaterThanOrEqual(40);
    expect(readFileSync(path, 'utf8').trim()).toBe(result.token);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(lines.map((line) => line.fields)).toEqual([{ path, oldMode: '0644', newMode: '0640' }, { path }]);
    expect(lines[1]?.message).toContain('rotated');
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(old);
    expect(logged).not.toContain(result.token);
    expect(ensureToken(dir, log)).toEqual({ token: result.token, created: false, rotated: false });
  });
});
