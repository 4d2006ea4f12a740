import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.js';
import { PackageStore } from '../../../src/services/packages/PackageStore.js';
import { loadTrustedKeys } from '../../../src/services/packages/trustedKeys.js';

const fixtures = new URL('../../../fixtures/packages/', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

function store() {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-package-store-'));
  dirs.push(dataDir);
  const trusted = join(dataDir, 'trusted-keys');
  mkdirSync(trusted);
  copyFileSync(join(fixtures, 'vector-ed25519.pub'), join(trusted, 'vendor.pub'));
  return { trusted, store: PackageStore.forDataDir(dataDir, { trustedKeysDir: trusted, logger: silentLogger }) };
}

describe('PackageStore', () => {
  it('verifies a kept package again before use: a key removed since, or a file altered on disk, is refused then', async () => {
    const { trusted, store: packages } = store();
    const { stored } = await packages.receive([readFileSync(join(fixtures, 'vector-ed25519.fwpkg'))], { operator: 'x' });
    expect((await packages.verifiedForUse(stored.id)).verified.manifest.version).toBe('2.5.0');
    const altered = readFileSync(stored.file);
    altered[512 + 1024 + 512 + 9]! ^= 0x01;
    writeFileSync(stored.file, altered);
    await expect(packages.verifiedForUse(stored.id)).rejects.toThrow(expect.objectContaining({ code: 'FWPKG_IMAGE_TAMPERED' }));
    writeFileSync(stored.file, readFileSync(join(fixtures, 'vector-ed25519.fwpkg')));
    unlinkSync(join(trusted, 'vendor.pub'));
    await expect(packages.verifiedForUse(stored.id)).rejects.toThrow(expect.objectContaining({ code: 'FWPKG_UNKNOWN_KEY' }));
    await expect(packages.verifiedForUse('0'.repeat(32))).rejects.toThrow(expect.objectContaining({ code: 'FWPKG_NOT_FOUND' }));
  });

  it('reads every *.pub of the trusted-keys folder, once per key, and reports the files that are not keys', async () => {
    const { trusted } = store();
    copyFileSync(join(fixtures, 'vector-ed25519.pub'), join(trusted, 'same-key-again.pub'));
    copyFileSync(join(fixtures, 'vector-sm2.pub'), join(trusted, 'sm2.pub'));
    writeFileSync(join(trusted, 'notes.txt'), 'not looked at');
    writeFileSync(join(trusted, 'private.pub'), readFileSync(join(fixtures, 'vector-sm2.key')));
    const set = await loadTrustedKeys(trusted);
    expect(set.keys.map((k) => k.keyId).sort()).toEqual(['ed25519:bcb89b5112801de59cb7f0d7b178acd5', 'sm2:a0bb97a08a86112a9fee2b4967443c27']);
    expect(set.skipped).toEqual([{ file: join(trusted, 'private.pub'), reason: expect.stringMatching(/"PRIVATE KEY" PEM block/) }]);
    expect(set.missing).toBe(false);
    expect((await loadTrustedKeys(join(trusted, 'nope'))).missing).toBe(true);
  });
});
