import { describe, expect, it } from 'vitest';
import { errorCatalog, errorTables, GatewayError, ExitCode } from '../../contracts/errors/index.js';

describe('error catalogue', () => {
  it('defines every code once, across all area tables', () => {
    const seen = new Map<string, string>();
    for (const [table, entries] of Object.entries(errorTables)) {
      for (const code of Object.keys(entries)) {
        expect(seen.get(code), `${code} in ${table} and ${seen.get(code)}`).toBeUndefined();
        seen.set(code, table);
      }
    }
    expect(seen.size).toBe(Object.keys(errorCatalog).length);
  });

  it('gives every code an upper-case name, both languages, a 4xx/5xx status and a known exit code', () => {
    const exits = new Set<number>(Object.values(ExitCode));
    for (const [code, spec] of Object.entries(errorCatalog)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(spec.zh.length, code).toBeGreaterThan(0);
      expect(spec.en.length, code).toBeGreaterThan(0);
      expect(/[\u4e00-\u9fff]/.test(spec.zh), `${code} zh text is Chinese`).toBe(true);
      expect(spec.http).toBeGreaterThanOrEqual(400);
      expect(spec.http).toBeLessThan(600);
      expect(exits.has(spec.exit), code).toBe(true);
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(spec.zh), `${code} placeholders`).toEqual(placeholders(spec.en));
    }
  });

  it('fills placeholders in both languages', () => {
    const error = new GatewayError('TIMEOUT', { params: { what: 'the register' } });
    expect(error.message).toBe('Timed out waiting for the register');
    expect(error.localized('zh-CN')).toBe('等待the register超时');
    expect(error.code).toBe('TIMEOUT');
    expect(error).toBeInstanceOf(Error);
  });

  it('fills a placeholder in Chinese from its Zh param when a service words it in both languages', () => {
    const error = new GatewayError('CERTIFICATE_NOT_APPLICABLE', { params: { reason: 'diagnosis D found no fault', reasonZh: '诊断 D 未发现故障' } });
    expect(error.localized('zh-CN')).toBe('不能出具该证明：诊断 D 未发现故障');
    expect(error.localized('en')).toBe('This certificate cannot be issued: diagnosis D found no fault');
    expect(new GatewayError('CERTIFICATE_NOT_APPLICABLE', { params: { reason: 'x' } }).localized('zh-CN')).toBe('不能出具该证明：x');
  });
});

/**
 * fiscalctl's exit codes (DESIGN.md: 0 done, 1 failed, 2 usage, 3 refused by verification, 4 device busy,
 * 5 device unreachable) decided for the whole catalogue by these rules, so a new code cannot drift:
 * - 4 is exactly "someone else is using it": the device, its link, the card reader, or fiscald's listen port.
 * - 5 is "cannot be reached": every 503/504 (but busy) is 5, and a 5 is a 502/503/504 — or a reader that
 *   is not there, which is an unplugged reader as an offline register is an unplugged register.
 * - 2 is "the request as given is wrong": every 400/413/415 is 2, and a 2 is always a 4xx.
 * - 3 is "checked and refused before anything changed" (cards, machine, taxpayer, PIN guard, signature,
 *   version, backup verification, restore plan, allow-list): always a 4xx, never a fault of the gateway.
 * - a step that failed midway or a read-back that disagrees is 1: something was attempted and did not work.
 */
describe('exit codes of fiscalctl across the catalogue', () => {
  const entries = Object.entries(errorCatalog) as [string, { http: number; exit: number }][];
  const busy = ['DEVICE_BUSY', 'LINK_DEVICE_BUSY', 'READER_BUSY', 'LISTEN_ADDRESS_IN_USE'];

  it('4 is exactly the busy codes', () => {
    expect(entries.filter(([, s]) => s.exit === ExitCode.busy).map(([c]) => c).sort()).toEqual([...busy].sort());
  });

  it('5 is every 503/504 but busy, and nothing that is not a 502/503/504', () => {
    for (const [code, spec] of entries) {
      if ((spec.http === 503 || spec.http === 504) && !busy.includes(code)) expect(spec.exit, code).toBe(ExitCode.unreachable);
      if (spec.exit === ExitCode.unreachable) expect([502, 503, 504], code).toContain(spec.http);
    }
    for (const code of ['DEVICE_OFFLINE', 'DEVICE_IDENTIFY_FAILED', 'LINK_TIMEOUT', 'LINK_CLOSED', 'DAEMON_UNREACHABLE', 'PCSC_UNAVAILABLE', 'READER_GONE']) {
      expect(errorCatalog[code as keyof typeof errorCatalog].exit, code).toBe(ExitCode.unreachable);
    }
    for (const [code, spec] of entries.filter(([c]) => c.startsWith('TRANSPORT_'))) expect(spec.exit, code).toBe(ExitCode.unreachable);
  });

  it('2 is every 400/413/415, and only ever a 4xx', () => {
    for (const [code, spec] of entries) {
      if ([400, 413, 415].includes(spec.http)) expect(spec.exit, code).toBe(ExitCode.usage);
      if (spec.exit === ExitCode.usage) expect(spec.http, code).toBeLessThan(500);
    }
  });

  it('3 for the refusals of checks, always a 4xx; a step that failed midway is 1', () => {
    for (const [code, spec] of entries) {
      if (spec.exit === ExitCode.refused) expect([403, 409, 422, 424], code).toContain(spec.http);
      const area = /^(INIT|CHANGE|DEREG|ROLL)_/.test(code);
      if (area && /_(STEP_FAILED|READBACK_MISMATCH)$/.test(code)) expect(spec.exit, code).toBe(ExitCode.failed);
      else if (area) expect(spec.exit, `${code} is a refusal of a check`).toBe(ExitCode.refused);
    }
    for (const code of ['BACKUP_VERIFY_FAILED', 'BACKUP_ARCHIVE_INVALID', 'BACKUP_GATE_FAILED', 'RESTORE_REFUSED', 'PORT_NOT_ALLOWED', 'CARD_PIN_LAST_TRY', 'LINK_FIRMWARE_DIGEST_MISMATCH']) {
      expect(errorCatalog[code as keyof typeof errorCatalog].exit, code).toBe(ExitCode.refused);
    }
  });

  it('not found (every 404: device, job, backup, reader, package, route) is 1, so scripts read one code for it', () => {
    const notFound = entries.filter(([, s]) => s.http === 404);
    expect(notFound.map(([c]) => c)).toContain('READER_NOT_FOUND');
    for (const [code, spec] of notFound) expect(spec.exit, code).toBe(ExitCode.failed);
  });

  it('a fault of the gateway (500) is 1', () => {
    for (const [code, spec] of entries.filter(([, s]) => s.http === 500)) expect(spec.exit, code).toBe(ExitCode.failed);
  });
});

describe('message parameters a client sent', () => {
  it('shows control characters as escapes, never as themselves', () => {
    const error = new GatewayError('JOB_NOT_FOUND', { params: { jobId: 'a\u0000b\u001b[2Jc\nd\u0085' } });
    expect(error.message).toBe('Job a\\u0000b\\u001b[2Jc\\u000ad\\u0085 not found');
    expect(error.localized('zh-CN')).toBe('未找到任务 a\\u0000b\\u001b[2Jc\\u000ad\\u0085');
  });
});
