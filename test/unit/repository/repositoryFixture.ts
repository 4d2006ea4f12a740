import { createReadStream, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFwpkg, generateKeyPair, parseFirmwareVersion, parsePrivateKeyPem, type FwpkgPrivateKey } from '../../../protocols/fwpkg/index.js';
import { silentLogger } from '../../../src/log.js';
import { PackageStore } from '../../../src/services/packages/PackageStore.js';
import { RepositoryClient, type PackageKeeper } from '../../../src/services/repository/RepositoryClient.js';
import { VendorRepository } from '../../../src/services/repository/VendorRepository.js';

const dirs: string[] = [];
export function temporary(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
export function removeTemporaries(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The package-signing key `repo init` made in keys/. */
export function vendorPackageKey(vendor: VendorRepository): FwpkgPrivateKey {
  const name = readdirSync(vendor.keysDir).find((n) => n.startsWith('package-') && n.endsWith('.key'))!;
  return parsePrivateKeyPem(readFileSync(join(vendor.keysDir, name), 'utf8'));
}

/** A signed .fwpkg file for model FX-100 (image of `size` bytes). */
export async function packageFile(dir: string, key: FwpkgPrivateKey, version: string, size = 300_000, model = 'FX-100'): Promise<string> {
  const image = new Uint8Array(size).map((_, i) => (i * 7 + version.length) & 0xff);
  const built = await buildFwpkg({
    image, key, vendor: 'Test Vendor', models: [model], version: parseFirmwareVersion(version), versionLowest: parseFirmwareVersion('0.0.0'),
    bootloaderLowest: parseFirmwareVersion('0.0.0'), paths: ['serial'], releaseNotes: '', createdAt: new Date('2026-12-01T00:00:00Z'),
  });
  const file = join(dir, `${model}-${version}.fwpkg`);
  writeFileSync(file, built.bytes);
  return file;
}

export const foreignKey = (): FwpkgPrivateKey => parsePrivateKeyPem(generateKeyPair('ed25519').privatePem);

/** A vendor repository with one package published (`repo init`, `repo add`, `repo publish`). */
export async function vendorWithPackage(options: { keys?: number; threshold?: number } = {}): Promise<{ vendor: VendorRepository; file: string }> {
  const vendor = await VendorRepository.init(join(temporary('fg-vendor-'), 'repo'), options);
  const file = await packageFile(vendor.dir, vendorPackageKey(vendor), '9.1.0');
  await vendor.add(file);
  await vendor.publish();
  return { vendor, file };
}

/** A gateway's data dir: its package store (no trusted-keys folder: only the repository's keys) and its repository client. */
export function gateway(vendor: VendorRepository, copyRootFrom = vendor.publicDir, maxBytes?: number) {
  const dataDir = temporary('fg-gateway-');
  const rootFile = join(dataDir, 'vendor-root.json');
  cpSync(join(copyRootFrom, '1.root.json'), rootFile);
  let client: RepositoryClient | undefined;
  const store = PackageStore.forDataDir(dataDir, {
    trustedKeysDir: join(dataDir, 'trusted-keys'), logger: silentLogger, additionalKeys: () => client!.packageKeys(), ...(maxBytes === undefined ? {} : { maxBytes }),
  });
  const keeper: PackageKeeper = {
    keep: async (file) => {
      const { stored, created } = await store.receive(createReadStream(file), { operator: 'repository' });
      return { id: stored.id, created };
    },
    keptIds: async () => new Set((await store.list()).map((p) => p.id)),
    maxBytes: store.maxBytes,
  };
  const open = () => new RepositoryClient({ dir: join(dataDir, 'repository'), initialRoot: rootFile, keeper, logger: silentLogger });
  client = open();
  return { dataDir, store, keeper, client, reopen: () => (client = open()) };
}
