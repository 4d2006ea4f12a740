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
});
