import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packagesForUpgrade } from '../../../src/daemon/areas/upgrade.js';
import { silentLogger } from '../../../src/log.js';
import { PackageStore } from '../../../src/services/packages/PackageStore.js';
import { imageReader } from '../../../src/services/upgrade/FirmwareImage.js';

const fixtures = new URL('../../../fixtures/packages/', import.meta.url).pathname;
const image = new Uint8Array(readFileSync(join(fixtures, 'vector-image.bin')));
const dirs: string[] = [];
afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

async function kept() {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-packages-for-upgrade-'));
  dirs.push(dataDir);
  const trusted = join(dataDir, 'trusted-keys');
  mkdirSync(trusted);
  copyFileSync(join(fixtures, 'vector-ed25519.pub'), join(trusted, 'vendor.pub'));
  const store = PackageStore.forDataDir(dataDir, { trustedKeysDir: trusted, logger: silentLogger });
  const { stored } = await store.receive([readFileSync(join(fixtures, 'vector-ed25519.fwpkg'))], { operator: 'x' });
  return { store, stored, packages: packagesForUpgrade(store) };
}

async function readAll(pkg: { image: Parameters<typeof imageReader>[0] }, block: number): Promise<Uint8Array> {
  const reader = imageReader(pkg.image);
  const parts: Uint8Array[] = [];
  for (let at = 0; at < reader.length; at += block) parts.push(await reader.read(at, block));
  return new Uint8Array(Buffer.concat(parts));
}

describe('packagesForUpgrade: the kept package as the upgrade uses it', () => {
  it('the serial path gets a reader of the kept file, not the image in memory: blocks read are the image', async () => {
    const { stored, packages } = await kept();
    const pkg = await packages.forUse(stored.id);
    expect(pkg.image).not.toBeInstanceOf(Uint8Array);
    expect(pkg.fwpkg).toBeUndefined();
    expect(pkg.image.length).toBe(image.length);
    expect(Buffer.from(await readAll(pkg, 1000)).equals(Buffer.from(image))).toBe(true);
    // Past the end: nothing; a block across it: the rest.
    expect((await imageReader(pkg.image).read(image.length, 10)).length).toBe(0);
    expect((await imageReader(pkg.image).read(image.length - 3, 10)).length).toBe(3);
  });

  it('a path that hands the package over gets its bytes once: the image is a view of them, not a copy', async () => {
    const { stored, packages } = await kept();
    const pkg = await packages.forUse(stored.id, { packageBytes: true });
    expect(pkg.fwpkg).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(pkg.fwpkg!).equals(readFileSync(stored.file))).toBe(true);
    expect(pkg.image).toBeInstanceOf(Uint8Array);
    const view = pkg.image as Uint8Array;
    expect(view.buffer).toBe(pkg.fwpkg!.buffer);
    expect(Buffer.from(view).equals(Buffer.from(image))).toBe(true);
  });

  it('a file altered on disk is refused; one removed while in use fails the next read with FWPKG_NOT_FOUND', async () => {
    const { stored, packages } = await kept();
    const pkg = await packages.forUse(stored.id);
    const original = readFileSync(stored.file);
    const altered = Buffer.from(original);
    altered[512 + 1024 + 512 + 9]! ^= 0x01;
    writeFileSync(stored.file, altered);
    await expect(packages.forUse(stored.id)).rejects.toMatchObject({ code: 'FWPKG_IMAGE_TAMPERED' });
    await expect(packages.forUse(stored.id, { packageBytes: true })).rejects.toMatchObject({ code: 'FWPKG_IMAGE_TAMPERED' });
    unlinkSync(stored.file);
    await expect(imageReader(pkg.image).read(0, 100)).rejects.toMatchObject({ code: 'FWPKG_NOT_FOUND' });
  });
});
