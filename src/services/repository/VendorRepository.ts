import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayError } from '../../../contracts/errors/index.js';
import { writeFileAtomic } from '../../../platform/atomicWrite.js';
import {
  generateKeyPair, ImageMeasurer, parsePrivateKeyPem, type FwpkgPrivateKey, type FwpkgPublicKey, type KeyAlgorithm,
} from '../../../protocols/fwpkg/index.js';
import {
  decodeMetadata, expiresAt, FWREPO_SPEC, keyEntry, packageKeys, ROLE_FILE, rootFileOfVersion, signMetadata, targetOf, versionedFile,
  type Metadata, type Role, type RootSigned, type SignedOf, type TargetsSigned,
} from '../../../protocols/fwrepo/index.js';
import { verifyFwpkgFile } from './verifyFwpkgFile.js';

const DAY = 24 * 3600 * 1000;

/** Default lifetimes (protocols/fwrepo/SPEC.md §1). */
export const DEFAULT_EXPIRY_MS: Record<Role, number> = { root: 365 * DAY, targets: 90 * DAY, snapshot: 7 * DAY, timestamp: 1 * DAY };

/**
 * A vendor's repository folder: `keys/` (private keys, 0700, never served) and `public/` (the static files a
 * gateway reads: metadata and `targets/`). Every file is replaced atomically; every document is signed and read
 * back through the gateway's own decoder before it is written.
 */
export class VendorRepository {
  private constructor(readonly dir: string, private readonly keys: Map<string, FwpkgPrivateKey>) {}

  get publicDir(): string {
    return join(this.dir, 'public');
  }

  get keysDir(): string {
    return join(this.dir, 'keys');
  }

  static async open(dir: string): Promise<VendorRepository> {
    let names: string[];
    try {
      names = (await readdir(join(dir, 'keys'))).filter((n) => n.endsWith('.key'));
      await stat(join(dir, 'public', ROLE_FILE.root));
    } catch (cause) {
      throw new GatewayError('REPO_VENDOR_INVALID', { params: { dir, detail: `no keys/ and public/root.json (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})` }, cause });
    }
    const keys = new Map<string, FwpkgPrivateKey>();
    for (const name of names) {
      const key = parsePrivateKeyPem(await readFile(join(dir, 'keys', name), 'utf8'), join(dir, 'keys', name));
      keys.set(key.publicKey.keyId, key);
    }
    return new VendorRepository(dir, keys);
  }

  /**
   * `repo init DIR`: N root keys (threshold T), N targets keys (threshold T), one snapshot and one timestamp key,
   * and one package-signing key unless the vendor's own are given; root version 1, empty targets, published.
   */
  static async init(dir: string, options: { readonly keys?: number; readonly threshold?: number; readonly algorithm?: KeyAlgorithm; readonly packageKeys?: readonly FwpkgPublicKey[]; readonly now?: Date } = {}): Promise<VendorRepository> {
    const count = options.keys ?? 1;
    const threshold = options.threshold ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 64 || !Number.isInteger(threshold) || threshold < 1 || threshold > count) {
      throw new GatewayError('REPO_VENDOR_INVALID', { params: { dir, detail: `--keys ${count} --threshold ${threshold}: need 1 ≤ threshold ≤ keys ≤ 64` } });
    }
    if (await stat(join(dir, 'public', ROLE_FILE.root)).then(() => true, () => false)) {
      throw new GatewayError('REPO_VENDOR_INVALID', { params: { dir, detail: 'it already holds a repository (public/root.json)' } });
    }
    await mkdir(join(dir, 'keys'), { recursive: true, mode: 0o700 });
    await mkdir(join(dir, 'public', 'targets'), { recursive: true, mode: 0o755 });
    const repository = new VendorRepository(dir, new Map());
    const algorithm = options.algorithm ?? 'ed25519';
    const make = async (role: string, n: number) => Promise.all(Array.from({ length: n }, () => repository.newKey(role, algorithm)));
    const root = await make('root', count);
    const targets = await make('targets', count);
    const [snapshot] = await make('snapshot', 1);
    const [timestamp] = await make('timestamp', 1);
    const packages = options.packageKeys?.length ? [...options.packageKeys] : (await make('package', 1)).map((k) => k.publicKey);
    const now = options.now ?? new Date();
    const signed: RootSigned = {
      _type: 'root', spec: FWREPO_SPEC, version: 1, expires: expiresAt(new Date(now.getTime() + DEFAULT_EXPIRY_MS.root)),
      keys: Object.fromEntries([...root, ...targets, snapshot!, timestamp!].map((k) => [k.publicKey.keyId, keyEntry(k.publicKey)]).concat(packages.map((k) => [k.keyId, keyEntry(k)]))),
      roles: {
        root: { keyIds: root.map((k) => k.publicKey.keyId), threshold },
        targets: { keyIds: targets.map((k) => k.publicKey.keyId), threshold },
        snapshot: { keyIds: [snapshot!.publicKey.keyId], threshold: 1 },
        timestamp: { keyIds: [timestamp!.publicKey.keyId], threshold: 1 },
        packages: { keyIds: packages.map((k) => k.keyId) },
      },
    };
    await repository.writeRoot(signMetadata('root', signed, root));
    await repository.writeRole('targets', { _type: 'targets', spec: FWREPO_SPEC, version: 1, expires: expiresAt(new Date(now.getTime() + DEFAULT_EXPIRY_MS.targets)), targets: [] });
    await repository.publish({ now });
    return repository;
  }

  /** A new private key in keys/ (0600); its public half in keys/ too (`package` keys sign .fwpkg files with fiscalctl package build). */
  private async newKey(role: string, algorithm: KeyAlgorithm): Promise<FwpkgPrivateKey> {
    const pair = generateKeyPair(algorithm);
    const base = join(this.keysDir, `${role}-${pair.keyId.replace(':', '-')}`);
    await writeFileAtomic(`${base}.key`, pair.privatePem, { mode: 0o600 });
    await writeFileAtomic(`${base}.pub`, pair.publicPem, { mode: 0o644 });
    const key = parsePrivateKeyPem(pair.privatePem);
    this.keys.set(key.publicKey.keyId, key);
    return key;
  }

  async read<R extends Role>(role: R): Promise<Metadata<R>> {
    return decodeMetadata(new Uint8Array(await readFile(join(this.publicDir, ROLE_FILE[role]))), role);
  }

  /** The private keys this folder holds for a role of the current root (all of them sign). */
  async keysFor(role: Role): Promise<FwpkgPrivateKey[]> {
    const root = (await this.read('root')).signed;
    const keys = root.roles[role].keyIds.flatMap((id) => (this.keys.has(id) ? [this.keys.get(id)!] : []));
    if (keys.length < root.roles[role].threshold) {
      throw new GatewayError('REPO_VENDOR_INVALID', { params: { dir: this.dir, detail: `keys/ holds ${keys.length} of the ${root.roles[role].threshold} ${role} keys needed` } });
    }
    return keys;
  }

  /**
   * Signs and writes a role's document as is (a vendor's tool and the tests' attacks use it): snapshot and targets
   * as `N.<role>.json` (what gateways read, never replaced by another version) and as `<role>.json` (the vendor's
   * current one), the timestamp as `timestamp.json`, last, so what it names is already in place.
   */
  async writeRole<R extends Exclude<Role, 'root'>>(role: R, signed: SignedOf[R], keys?: readonly FwpkgPrivateKey[]): Promise<Metadata<R>> {
    const document = signMetadata(role, signed, keys ?? await this.keysFor(role));
    if (role !== 'timestamp') await writeFileAtomic(join(this.publicDir, versionedFile(role as 'snapshot' | 'targets', document.signed.version)), document.bytes, { mode: 0o644 });
    await writeFileAtomic(join(this.publicDir, ROLE_FILE[role]), document.bytes, { mode: 0o644 });
    return document;
  }

  private async writeRoot(document: Metadata<'root'>): Promise<void> {
    await writeFileAtomic(join(this.publicDir, rootFileOfVersion(document.signed.version)), document.bytes, { mode: 0o644 });
    await writeFileAtomic(join(this.publicDir, ROLE_FILE.root), document.bytes, { mode: 0o644 });
  }

  /**
   * `repo add DIR PACKAGE.fwpkg`: the package must verify (fwpkg) with a key of the root's packages role; it is
   * copied to `public/targets/<sha256>.fwpkg` and listed in a new targets version (publish makes it visible).
   */
  async add(file: string, options: { readonly now?: Date; readonly anySigner?: readonly FwpkgPublicKey[] } = {}): Promise<TargetsSigned['targets'][number]> {
    const root = (await this.read('root')).signed;
    const verified = await verifyFwpkgFile(file, options.anySigner ?? packageKeys(root));
    const measured = await measureFile(file);
    const target = targetOf(measured, verified.manifest);
    await writeFileAtomic(join(this.publicDir, target.name), await readFile(file), { mode: 0o644 });
    const current = (await this.read('targets')).signed;
    const now = options.now ?? new Date();
    await this.writeRole('targets', {
      ...current, version: current.version + 1, expires: expiresAt(new Date(now.getTime() + DEFAULT_EXPIRY_MS.targets)),
      targets: [...current.targets.filter((t) => t.name !== target.name), target],
    });
    return target;
  }

  /** `repo publish DIR [--expires D]`: a new snapshot naming the current targets.json and a new timestamp naming it. */
  async publish(options: { readonly now?: Date; readonly expiresMs?: number } = {}): Promise<{ snapshot: Metadata<'snapshot'>; timestamp: Metadata<'timestamp'> }> {
    const now = options.now ?? new Date();
    const targetsBytes = new Uint8Array(await readFile(join(this.publicDir, ROLE_FILE.targets)));
    const targets = decodeMetadata(targetsBytes, 'targets');
    const previous = await this.read('snapshot').catch(() => undefined);
    const previousTimestamp = await this.read('timestamp').catch(() => undefined);
    const snapshot = await this.writeRole('snapshot', {
      _type: 'snapshot', spec: FWREPO_SPEC, version: (previous?.signed.version ?? 0) + 1,
      expires: expiresAt(new Date(now.getTime() + (options.expiresMs ?? DEFAULT_EXPIRY_MS.snapshot))),
      meta: { 'targets.json': { version: targets.signed.version, length: targetsBytes.length, sha256: sha256(targetsBytes) } },
    });
    const timestamp = await this.writeRole('timestamp', {
      _type: 'timestamp', spec: FWREPO_SPEC, version: (previousTimestamp?.signed.version ?? 0) + 1,
      expires: expiresAt(new Date(now.getTime() + (options.expiresMs ?? DEFAULT_EXPIRY_MS.timestamp))),
      meta: { 'snapshot.json': { version: snapshot.signed.version, length: snapshot.bytes.length, sha256: sha256(snapshot.bytes) } },
    });
    return { snapshot, timestamp };
  }

  /**
   * `repo rotate-root DIR [--keys N --threshold T] [--roles timestamp,snapshot,targets]`: root N+1 with N fresh
   * root keys (threshold T) and fresh keys for the roles named (same number and threshold; for a key that leaked),
   * signed by the old root keys and the new ones (SPEC.md §5). Keys no role lists any more leave the root.
   */
  async rotateRoot(options: {
    readonly keys?: number; readonly threshold?: number; readonly algorithm?: KeyAlgorithm; readonly now?: Date;
    readonly roles?: readonly ('targets' | 'snapshot' | 'timestamp')[];
  } = {}): Promise<Metadata<'root'>> {
    const current = (await this.read('root')).signed;
    const oldKeys = await this.keysFor('root');
    const count = options.keys ?? current.roles.root.keyIds.length;
    const threshold = options.threshold ?? Math.min(current.roles.root.threshold, count);
    if (!Number.isInteger(count) || count < 1 || count > 64 || !Number.isInteger(threshold) || threshold < 1 || threshold > count) {
      throw new GatewayError('REPO_VENDOR_INVALID', { params: { dir: this.dir, detail: `--keys ${count} --threshold ${threshold}: need 1 ≤ threshold ≤ keys ≤ 64` } });
    }
    const algorithm = options.algorithm ?? 'ed25519';
    const fresh = await Promise.all(Array.from({ length: count }, () => this.newKey('root', algorithm)));
    const roles: RootSigned['roles'] = { ...current.roles, root: { keyIds: fresh.map((k) => k.publicKey.keyId), threshold } };
    const added = [...fresh];
    for (const role of options.roles ?? []) {
      const keys = await Promise.all(current.roles[role].keyIds.map(() => this.newKey(role, algorithm)));
      added.push(...keys);
      roles[role] = { keyIds: keys.map((k) => k.publicKey.keyId), threshold: current.roles[role].threshold };
    }
    const listed = new Set(Object.values(roles).flatMap((r) => r.keyIds));
    const keys = Object.fromEntries(Object.entries(current.keys).filter(([id]) => listed.has(id)));
    for (const key of added) keys[key.publicKey.keyId] = keyEntry(key.publicKey);
    const now = options.now ?? new Date();
    const next: RootSigned = { ...current, version: current.version + 1, expires: expiresAt(new Date(now.getTime() + DEFAULT_EXPIRY_MS.root)), keys, roles };
    const document = signMetadata('root', next, [...oldKeys, ...fresh]);
    await this.writeRoot(document);
    return document;
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Length, SHA-256 and SM3 of a whole file. */
export async function measureFile(file: string): Promise<{ length: number; sha256: string; sm3: string }> {
  const measurer = new ImageMeasurer();
  measurer.update(new Uint8Array(await readFile(file)));
  const digest = measurer.digest();
  return { length: digest.size, sha256: digest.sha256, sm3: digest.sm3 };
}
