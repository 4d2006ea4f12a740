import { cpSync, existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FWREPO_SPEC, type Target } from '../../../protocols/fwrepo/index.js';
import { folderSource, httpsSource } from '../../../src/services/repository/RepositorySource.js';
import { repositoryStatus } from '../../../src/services/repository/repositoryStatus.js';
import { makeLoopbackCertificate, serveRepository, type RepositoryServer } from '../../helpers/repositoryServer.js';
import { foreignKey, gateway, packageFile, removeTemporaries, temporary, vendorPackageKey, vendorWithPackage } from './repositoryFixture.js';

const code = (c: string) => expect.objectContaining({ code: c });
const certificate = makeLoopbackCertificate();
const servers: RepositoryServer[] = [];
async function serve(folder: string): Promise<RepositoryServer> {
  const server = await serveRepository(folder, certificate);
  servers.push(server);
  return server;
}
afterEach(async () => { for (const server of servers.splice(0)) await server.close(); });
afterAll(removeTemporaries);

describe('fetch over HTTPS from a repository the test builds (issue 12 acceptance)', () => {
  it('fetches, verifies and keeps the package; the store verifies it for use; with the network gone it is still usable and the status says how old the metadata is', async () => {
    const { vendor } = await vendorWithPackage();
    const server = await serve(vendor.publicDir);
    const gw = gateway(vendor);
    const source = httpsSource(server.url, server.ca);
    const { fetched } = await gw.client.fetch(source, { models: ['FX-100'] });
    expect(fetched).toHaveLength(1);
    expect(fetched[0]).toMatchObject({ downloaded: true, target: { version: '9.1.0', models: ['FX-100'] } });
    const { verified } = await gw.store.verifiedForUse(fetched[0]!.packageId);
    expect(verified.manifest.version).toBe('9.1.0');
    // Again: already kept, nothing downloaded.
    const before = server.requests.filter((r) => r.path.startsWith('targets/')).length;
    expect((await gw.client.fetch(source, { all: true })).fetched[0]!.downloaded).toBe(false);
    expect(server.requests.filter((r) => r.path.startsWith('targets/'))).toHaveLength(before);

    await server.close();
    await expect(gw.client.refresh(source)).rejects.toThrow(code('REPO_UNREACHABLE'));
    expect((await gw.store.verifiedForUse(fetched[0]!.packageId)).verified.manifest.version).toBe('9.1.0');
    const later = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    const status = repositoryStatus({ repository: server.url, trusted: await gw.client.trusted(), kept: await gw.keeper.keptIds(), now: later });
    expect(status).toMatchObject({ current: false, timestamp: { version: 2, expired: true }, targets: { version: 2 }, packages: [{ version: '9.1.0', cached: true }] });
    expect(status.ageSeconds).toBeGreaterThanOrEqual(3 * 24 * 3600 - 5);
  });

  it('refuses a server whose certificate the CA bundle does not vouch for: REPO_UNREACHABLE', async () => {
    const { vendor } = await vendorWithPackage();
    const server = await serve(vendor.publicDir);
    const gw = gateway(vendor);
    await expect(gw.client.refresh(httpsSource(server.url))).rejects.toThrow(code('REPO_UNREACHABLE'));
    await expect(gw.client.refresh(httpsSource(server.url, makeLoopbackCertificate().cert))).rejects.toThrow(code('REPO_UNREACHABLE'));
  });

  it('resumes an interrupted download with a Range request, checked against the target digest; a bad partial file is discarded', async () => {
    const { vendor, file } = await vendorWithPackage();
    const server = await serve(vendor.publicDir);
    const gw = gateway(vendor);
    const source = httpsSource(server.url, server.ca);
    const target = (await gw.client.refresh(source)).targets!.signed.targets[0]!;
    const bytes = readFileSync(file);
    mkdirSync(gw.client.downloadsDir, { recursive: true });
    const part = join(gw.client.downloadsDir, `${target.sha256}.part`);
    writeFileSync(part, bytes.subarray(0, 100_000));
    const seen: number[] = [];
    const { fetched } = await gw.client.fetch(source, { all: true }, (p) => seen.push(p.resumedFrom));
    expect(server.requests.filter((r) => r.path === target.name)).toEqual([{ path: target.name, range: 'bytes=100000-' }]);
    expect(seen[0]).toBe(100_000);
    expect(fetched[0]!.downloaded).toBe(true);
    expect(existsSync(part)).toBe(false);

    const other = gateway(vendor);
    mkdirSync(other.client.downloadsDir, { recursive: true });
    writeFileSync(part.replace(gw.client.downloadsDir, other.client.downloadsDir), Buffer.alloc(100_000, 0x55));
    await expect(other.client.fetch(source, { all: true })).rejects.toThrow(code('REPO_DIGEST_MISMATCH'));
    expect(await other.keeper.keptIds()).toEqual(new Set());
    expect((await other.client.fetch(source, { all: true })).fetched[0]!.downloaded).toBe(true);
  });

  it('a server that ignores the Range request answers the whole file: the partial one is replaced, not appended to', async () => {
    const { vendor, file } = await vendorWithPackage();
    const server = await serveRepository(vendor.publicDir, certificate, { ranges: false });
    servers.push(server);
    const gw = gateway(vendor);
    const source = httpsSource(server.url, server.ca);
    const target = (await gw.client.refresh(source)).targets!.signed.targets[0]!;
    mkdirSync(gw.client.downloadsDir, { recursive: true });
    writeFileSync(join(gw.client.downloadsDir, `${target.sha256}.part`), readFileSync(file).subarray(0, 50_000));
    const seen: number[] = [];
    const { fetched } = await gw.client.fetch(source, { all: true }, (p) => seen.push(p.resumedFrom));
    expect(server.requests.find((r) => r.path === target.name)).toEqual({ path: target.name, range: 'bytes=50000-' });
    expect(seen[0]).toBe(0);
    expect(fetched[0]!.downloaded).toBe(true);
  });
});

describe('a repository being published', () => {
  it('a gateway reading between repo add and repo publish sees the last published version whole (versioned snapshot and targets files)', async () => {
    const { vendor } = await vendorWithPackage();
    const server = await serve(vendor.publicDir);
    const gw = gateway(vendor);
    const source = httpsSource(server.url, server.ca);
    await vendor.add(await packageFile(temporary('fg-next-'), vendorPackageKey(vendor), '9.2.0'));
    expect((await gw.client.refresh(source)).targets!.signed.targets.map((t) => t.version)).toEqual(['9.1.0']);
    await vendor.publish();
    expect((await gw.client.refresh(source)).targets!.signed.targets.map((t) => t.version)).toEqual(['9.1.0', '9.2.0']);
    expect(server.requests.map((r) => r.path)).toEqual(expect.arrayContaining(['2.snapshot.json', '2.targets.json', '3.snapshot.json', '3.targets.json']));
  });
});

describe('attacks, each refused with its code and nothing kept', () => {
  async function online(options?: { keys?: number; threshold?: number }) {
    const setup = await vendorWithPackage(options);
    const server = await serve(setup.vendor.publicDir);
    const gw = gateway(setup.vendor);
    return { ...setup, server, gw, source: httpsSource(server.url, server.ca) };
  }
  const target = (t: { gw: ReturnType<typeof gateway> }) => t.gw.client.trusted().then((trusted) => trusted!.targets!.signed.targets[0]!);

  it('an older timestamp (rollback), also after a restart', async () => {
    const t = await online();
    await t.gw.client.refresh(t.source);
    const old = readFileSync(join(t.vendor.publicDir, 'timestamp.json'));
    await t.vendor.publish();
    await t.gw.client.refresh(t.source);
    t.server.override('timestamp.json', old);
    await expect(t.gw.client.refresh(t.source)).rejects.toThrow(code('REPO_ROLLBACK'));
    t.gw.reopen();
    await expect(t.gw.client.refresh(t.source)).rejects.toThrow(code('REPO_ROLLBACK'));
  });

  it('an older snapshot named by a new timestamp (rollback)', async () => {
    const t = await online();
    const oldSnapshot = t.vendor.read('snapshot');
    await t.vendor.publish();
    await t.gw.client.refresh(t.source);
    const snapshot = await oldSnapshot;
    const current = (await t.vendor.read('timestamp')).signed;
    await t.vendor.writeRole('timestamp', { ...current, version: current.version + 1, meta: { 'snapshot.json': { version: snapshot.signed.version, length: snapshot.bytes.length, sha256: (await import('node:crypto')).createHash('sha256').update(snapshot.bytes).digest('hex') } } });
    await expect(t.gw.client.refresh(t.source)).rejects.toThrow(code('REPO_ROLLBACK'));
  });

  it('expired metadata, a frozen mirror (freeze)', async () => {
    const t = await online();
    await t.vendor.publish({ now: new Date(Date.now() - 2 * 24 * 3600 * 1000) });
    await expect(t.gw.client.fetch(t.source, { all: true })).rejects.toThrow(code('REPO_METADATA_EXPIRED'));
    expect(await t.gw.keeper.keptIds()).toEqual(new Set());
  });

  it('a target with another digest, and one with a longer body', async () => {
    const t = await online();
    const bytes = readFileSync(t.file);
    const name = (await t.gw.client.refresh(t.source)).targets!.signed.targets[0]!.name;
    const altered = Buffer.from(bytes);
    altered[altered.length - 2000]! ^= 1;
    t.server.override(name, altered);
    await expect(t.gw.client.fetch(t.source, { all: true })).rejects.toThrow(code('REPO_DIGEST_MISMATCH'));
    t.server.override(name, Buffer.concat([bytes, Buffer.alloc(4096)]));
    await expect(t.gw.client.fetch(t.source, { all: true })).rejects.toThrow(code('REPO_LENGTH_EXCEEDED'));
    expect(await t.gw.keeper.keptIds()).toEqual(new Set());
    expect(existsSync(join(t.gw.client.downloadsDir, `${(await target(t)).sha256}.part`))).toBe(false);
  });

  it('a target longer than the packages store keeps is refused before any byte of it is downloaded', async () => {
    const { vendor } = await vendorWithPackage();
    const server = await serve(vendor.publicDir);
    const gw = gateway(vendor, vendor.publicDir, 100_000);
    await expect(gw.client.fetch(httpsSource(server.url, server.ca), { all: true })).rejects.toThrow(code('FWPKG_TOO_LARGE'));
    expect(server.requests.filter((r) => r.path.startsWith('targets/'))).toEqual([]);
  });

  it('an endless timestamp is cut at its limit', async () => {
    const t = await online();
    t.server.override('timestamp.json', Buffer.alloc(10 * 1024 * 1024, 0x20));
    await expect(t.gw.client.refresh(t.source)).rejects.toThrow(code('REPO_LENGTH_EXCEEDED'));
  });

  it('metadata signed by too few keys (threshold 2 of 2, one signature)', async () => {
    const t = await online({ keys: 2, threshold: 2 });
    const current = (await t.vendor.read('targets')).signed;
    const [one] = await t.vendor.keysFor('targets');
    await t.vendor.writeRole('targets', { ...current, version: current.version + 1 }, [one!]);
    await t.vendor.publish();
    await expect(t.gw.client.refresh(t.source)).rejects.toThrow(code('REPO_THRESHOLD_NOT_MET'));
  });

  it('a root that skips a version', async () => {
    const t = await online();
    await t.vendor.rotateRoot();
    await t.vendor.rotateRoot();
    renameSync(join(t.vendor.publicDir, '3.root.json'), join(t.vendor.publicDir, '2.root.json'));
    await expect(t.gw.client.refresh(t.source)).rejects.toThrow(code('REPO_ROOT_VERSION_SKIPPED'));
    expect((await t.gw.client.trusted())!.root.signed.version).toBe(1);
  });

  it('a package signed by a key the root does not list', async () => {
    const t = await online();
    const key = foreignKey();
    const file = await packageFile(temporary('fg-foreign-'), key, '9.2.0');
    await t.vendor.add(file, { anySigner: [key.publicKey] });
    await t.vendor.publish();
    await expect(t.gw.client.fetch(t.source, { models: ['FX-100'] })).rejects.toThrow(code('REPO_UNKNOWN_KEY'));
    expect(await t.gw.keeper.keptIds()).toEqual(new Set());
  });

  it('a package whose signed manifest says another version than its target (mix-and-match)', async () => {
    const t = await online();
    const current = (await t.vendor.read('targets')).signed;
    const lying: Target = { ...current.targets[0]!, version: '9.9.9' as Target['version'] };
    await t.vendor.writeRole('targets', { ...current, spec: FWREPO_SPEC, version: current.version + 1, targets: [lying] });
    await t.vendor.publish();
    await expect(t.gw.client.fetch(t.source, { all: true })).rejects.toThrow(code('REPO_TARGET_MISMATCH'));
  });
});

describe('root rotation and the stick', () => {
  it('follows N → N+1 → N+2 and persists every root version it accepted', async () => {
    const { vendor } = await vendorWithPackage({ keys: 2, threshold: 2 });
    const server = await serveRepository(vendor.publicDir, certificate);
    servers.push(server);
    const gw = gateway(vendor);
    await gw.client.refresh(httpsSource(server.url, server.ca));
    await vendor.rotateRoot({ keys: 3, threshold: 2 });
    await vendor.rotateRoot({ keys: 1, threshold: 1, algorithm: 'sm2' });
    const trusted = await gw.client.refresh(httpsSource(server.url, server.ca));
    expect(trusted.root.signed.version).toBe(3);
    expect(trusted.root.signed.roles.root).toMatchObject({ threshold: 1 });
    for (const n of [1, 2, 3]) expect(existsSync(join(gw.dataDir, 'repository', 'trusted', `${n}.root.json`))).toBe(true);
  });

  it('a repository snapshot on a (simulated) stick folder is verified and used with no network; an expired one is refused', async () => {
    const { vendor } = await vendorWithPackage();
    const stick = join(temporary('fg-stick-'), 'fiscal-repository');
    cpSync(vendor.publicDir, stick, { recursive: true });
    const gw = gateway(vendor);
    const { fetched } = await gw.client.fetch(folderSource(stick), { models: ['FX-100'] });
    expect((await gw.store.verifiedForUse(fetched[0]!.packageId)).verified.manifest.version).toBe('9.1.0');
    expect((await gw.client.trusted())!.record!.source).toBe(stick);

    const stale = join(temporary('fg-stick-'), 'fiscal-repository');
    await vendor.publish({ now: new Date(Date.now() - 10 * 24 * 3600 * 1000) });
    cpSync(vendor.publicDir, stale, { recursive: true });
    const fresh = gateway(vendor);
    await expect(fresh.client.fetch(folderSource(stale), { all: true })).rejects.toThrow(code('REPO_METADATA_EXPIRED'));
  });
});

describe('fast-forward recovery', () => {
  it('a timestamp pushed far ahead with a leaked key blocks updates until the root replaces the timestamp and snapshot keys', async () => {
    const { vendor } = await vendorWithPackage();
    const server = await serveRepository(vendor.publicDir, certificate);
    servers.push(server);
    const gw = gateway(vendor);
    const source = httpsSource(server.url, server.ca);
    await gw.client.refresh(source);
    const leaked = (await vendor.read('timestamp')).signed;
    await vendor.writeRole('timestamp', { ...leaked, version: 1_000_000 });
    await gw.client.refresh(source);
    const honest = async () => {
      const snapshot = await vendor.writeRole('snapshot', { ...(await vendor.read('snapshot')).signed, version: 5 });
      const { createHash } = await import('node:crypto');
      await vendor.writeRole('timestamp', { ...leaked, version: 3, meta: { 'snapshot.json': { version: 5, length: snapshot.bytes.length, sha256: createHash('sha256').update(snapshot.bytes).digest('hex') } } });
    };
    await honest();
    await expect(gw.client.refresh(source)).rejects.toThrow(code('REPO_ROLLBACK'));
    await vendor.rotateRoot({ roles: ['timestamp', 'snapshot'] });
    await honest();
    // The update that takes the new root is cut after it (a damaged timestamp): the leaked version stays forgotten.
    server.override('timestamp.json', new TextEncoder().encode('{'));
    await expect(gw.client.refresh(source)).rejects.toThrow(code('REPO_METADATA_MALFORMED'));
    server.override('timestamp.json', undefined);
    gw.reopen();
    const trusted = await gw.client.refresh(source);
    expect(trusted.timestamp!.signed.version).toBe(3);
    expect(trusted.root.signed.version).toBe(2);
  });
});
