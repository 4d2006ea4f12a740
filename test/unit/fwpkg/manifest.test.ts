import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalManifestBytes, checkManifest, claimedKeyId, parseManifestBytes } from '../../../protocols/fwpkg/index.js';

const vectorBytes = new Uint8Array(readFileSync(new URL('../../../fixtures/packages/vector-ed25519.manifest.json', import.meta.url)));
const text = new TextDecoder().decode(vectorBytes);
const encode = (s: string) => new TextEncoder().encode(s);
const malformed = expect.objectContaining({ code: 'FWPKG_MALFORMED' });

describe('manifest.json', () => {
  it('reads the vector and writes it back byte for byte (the canonical form)', () => {
    const manifest = parseManifestBytes(vectorBytes);
    expect(manifest).toMatchObject({ format: 'fiscal-fwpkg/1', version: '2.5.0', size: 4096, paths: ['serial', 'usb-stick', 'ic-card'] });
    expect(Buffer.from(canonicalManifestBytes(manifest)).equals(Buffer.from(vectorBytes))).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('"vendor": "示例厂商 Example Vendor"');
  });

  it('refuses the same values in any other bytes: reordered keys, other spacing, no final LF, a duplicated key', () => {
    const value = JSON.parse(text) as Record<string, unknown>;
    const { format, ...rest } = value;
    for (const other of [
      JSON.stringify({ ...rest, format }, null, 2) + '\n',
      JSON.stringify(value) + '\n',
      JSON.stringify(value, null, 2),
      text.replace('{\n', '{\n  "version": "9.9.9",\n'),
    ]) {
      expect(() => parseManifestBytes(encode(other))).toThrow(malformed);
    }
  });

  it('refuses what the schema does not allow, naming the field', () => {
    const value = JSON.parse(text) as Record<string, unknown>;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...value, version: '2.5' }, /manifest\.version/],
      [{ ...value, versionLowest: '3.0.0' }, /versionLowest is newer than version/],
      [{ ...value, paths: ['serial', 'network'] }, /manifest\.paths/],
      [{ ...value, paths: ['serial', 'serial'] }, /listed twice/],
      [{ ...value, models: [] }, /manifest\.models/],
      [{ ...value, sha256: 'AB'.repeat(32) }, /manifest\.sha256/],
      [{ ...value, format: 'fiscal-fwpkg/2' }, /manifest\.format/],
      [{ ...value, createdAt: '2026-02-30T00:00:00Z' }, /manifest\.createdAt/],
      [{ ...value, extra: 1 }, /extra/],
      [{ ...value, size: 0 }, /manifest\.size/],
    ];
    for (const [bad, detail] of cases) {
      expect(() => checkManifest(bad)).toThrow(expect.objectContaining({ code: 'FWPKG_MALFORMED', message: expect.stringMatching(detail) }));
    }
    expect(() => parseManifestBytes(Uint8Array.of(0xff, 0xfe))).toThrow(malformed);
  });

  it('tells the claimed key id of bytes it does not yet trust, and nothing when they are not JSON', () => {
    expect(claimedKeyId(vectorBytes)).toBe('ed25519:bcb89b5112801de59cb7f0d7b178acd5');
    expect(claimedKeyId(encode('{"keyId": 5}'))).toBeUndefined();
    expect(claimedKeyId(encode('not json'))).toBeUndefined();
  });
});
