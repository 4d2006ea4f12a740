import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, removeDataDir, runFiscalctl, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { serveRepository, type RepositoryServer } from '../helpers/repositoryServer.js';

interface DeviceRow { id: string; identity?: { model: string; firmwareVersion: string } }
interface Fetched { fetched: { packageId: string; version: string; downloaded: boolean; cached: boolean }[]; repository: { root: { version: number } } }

/**
 * Issue 12 end to end with the real binaries: a vendor builds a repository with `fiscalctl repo`, a local HTTPS
 * server (certificate made by openssl in the test) serves it, `fiscald --simulate=1 --repository URL
 * --repository-ca FILE --repository-root 1.root.json` fetches, verifies and caches the package for its register's
 * model, follows two root rotations, and with the network gone and the timestamp expired still upgrades from the
 * cache and says how old the metadata is; then a copy of the repository on the simulated USB stick (FISCAL/REPOSITORY) is verified and used offline.
 */
describe('vendor repository over HTTPS and from a stick (processes)', () => {
  let daemon: RunningDaemon;
  let server: RepositoryServer;
  let work: string;
  let repo: string;
  const vendorCtl = (args: string[]) => runFiscalctl({ url: 'http://127.0.0.1:1', dataDir: work } as RunningDaemon, args);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fg-e2e-repository-'));
    repo = join(work, 'repo');
    const init = await vendorCtl(['repo', 'init', repo, '--keys', '2', '--threshold', '2']);
    expect(init.code, init.stderr).toBe(0);
    server = await serveRepository(join(repo, 'public'));
    writeFileSync(join(work, 'ca.pem'), server.ca);
    daemon = await startDaemon({
      // An untimed register that restarts at once: the two upgrades here are about where the package came from.
      simulate: 1, args: ['--repository', server.url, '--repository-ca', join(work, 'ca.pem'), '--repository-root', join(repo, 'public', '1.root.json'),
        '--simulator-timing', JSON.stringify({ timed: false, rebootMs: 100 })],
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await daemon?.stop();
    if (daemon) removeDataDir(daemon.dataDir);
    rmSync(work, { recursive: true, force: true });
  });

  async function publishPackage(model: string, version: string, expires = '2d'): Promise<void> {
    writeFileSync(join(work, `fw-${version}.bin`), Buffer.alloc(40 * 1024, version.length));
    const key = join(repo, 'keys', readdirSync(join(repo, 'keys')).find((n) => n.startsWith('package-') && n.endsWith('.key'))!);
    const built = await vendorCtl(['package', 'build', '--image', join(work, `fw-${version}.bin`), '--version', version, '--model', model,
      '--lowest', '0.0.1', '--key', key, '-o', join(work, `fw-${version}.fwpkg`)]);
    expect(built.code, built.stderr).toBe(0);
    const added = await vendorCtl(['repo', 'add', repo, join(work, `fw-${version}.fwpkg`)]);
    expect(added.code, added.stderr).toBe(0);
    const published = await vendorCtl(['repo', 'publish', repo, '--expires', expires]);
    expect(published.code, published.stderr).toBe(0);
  }

  it('fetches and caches, follows root 1 → 2 → 3, and with the network gone upgrades from the cache saying how old the metadata is; a stick copy is verified and used offline', async () => {
    const ctl = (args: string[]) => runFiscalctl(daemon, args);
    const [device] = (JSON.parse((await ctl(['devices', '--json'])).stdout) as { devices: DeviceRow[] }).devices;
    const model = device!.identity!.model;
    await publishPackage(model, '9.1.0');

    const fetched = await ctl(['package', 'fetch', '--json']);
    expect(fetched.code, fetched.stderr + fetched.stdout).toBe(0);
    const answer = JSON.parse(fetched.stdout) as Fetched;
    expect(answer.fetched).toEqual([expect.objectContaining({ version: '9.1.0', downloaded: true, cached: true })]);
    const packageId = answer.fetched[0]!.packageId;
    expect(server.requests.some((r) => r.path.startsWith('targets/'))).toBe(true);

    for (const _ of [1, 2]) expect((await vendorCtl(['repo', 'rotate-root', repo, '--keys', '3', '--threshold', '2'])).code).toBe(0);
    const remote = await ctl(['package', 'list', '--remote', '--json']);
    expect(remote.code, remote.stderr).toBe(0);
    expect(JSON.parse(remote.stdout)).toMatchObject({ repository: { root: { version: 3 }, current: true, packages: [{ packageId, cached: true }] } });
    const status = await ctl(['repo', 'status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/root: version 3/);
    expect(status.stdout).toMatch(/Metadata verified .* ago\), valid until/);
    expect(status.stdout).not.toMatch(/latest/i);

    // A timestamp that expires soon, fetched while the network is still there: by the time the network is gone it
    // has expired, as at an offline counter.
    expect((await vendorCtl(['repo', 'publish', repo, '--expires', '8s'])).code).toBe(0);
    const refreshed = await ctl(['package', 'fetch', '--json']);
    expect(refreshed.code, refreshed.stderr + refreshed.stdout).toBe(0);
    await server.close();
    await eventually(async () => {
      const now = JSON.parse((await ctl(['repo', 'status', '--json'])).stdout) as { repository: { current: boolean } };
      return now.repository.current ? undefined : true;
    }, 90_000);
    const offline = await ctl(['package', 'fetch']);
    expect(offline.code).toBe(5);
    expect(offline.stderr).toMatch(/REPO_UNREACHABLE|cannot be reached/);
    expect(offline.stderr).toMatch(/Metadata verified .* ago\), expired .*: the repository may have newer packages since/);
    expect(offline.stderr).toContain(packageId);
    const zh = await runFiscalctl(daemon, ['package', 'fetch'], { LANG: 'zh_CN.UTF-8' });
    expect(zh.stderr).toMatch(/元数据校验于 .*前/);

    const upgraded = await ctl(['upgrade', device!.id, '--package', packageId, '--yes', '--json']);
    expect(upgraded.code, upgraded.stderr + upgraded.stdout).toBe(0);
    expect(JSON.parse(upgraded.stdout)).toMatchObject({ upgrade: { after: '9.1.0', verified: true, confirmed: true } });
    expect(upgraded.stderr).toMatch(new RegExp(`Package ${packageId} came from the vendor repository\\. Metadata verified .* ago\\), expired`));

    // A newer release reaches the counter on a stick: the repository folder copied as FISCAL/REPOSITORY onto --simulate's
    // USB stick (a folder the stick driver finds as a mounted removable volume), read with the network still gone.
    await publishPackage(model, '9.2.0');
    const noStickRepository = await ctl(['package', 'fetch', '--from-stick', '--json']);
    expect(noStickRepository.code).toBe(1);
    expect(JSON.parse(noStickRepository.stdout)).toMatchObject({ code: 'REPO_STICK_NOT_FOUND' });
    cpSync(join(repo, 'public'), join(daemon.dataDir, 'simulator', 'stick', 'volume', 'FISCAL', 'REPOSITORY'), { recursive: true });
    const fromStick = await ctl(['package', 'fetch', '--from-stick', '--json']);
    expect(fromStick.code, fromStick.stderr + fromStick.stdout).toBe(0);
    const stickAnswer = JSON.parse(fromStick.stdout) as Fetched;
    expect(stickAnswer.fetched).toEqual([expect.objectContaining({ version: '9.2.0', downloaded: true })]);
    const again = await ctl(['upgrade', device!.id, '--package', stickAnswer.fetched[0]!.packageId, '--yes', '--json']);
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ upgrade: { after: '9.2.0' } });
  }, 300_000);
});
