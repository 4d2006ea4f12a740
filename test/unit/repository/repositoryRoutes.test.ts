import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VendorRepository } from '../../../src/services/repository/VendorRepository.js';
import { startInProcessDaemon, type InProcessDaemon } from '../api/daemonHarness.js';
import { packageFile, removeTemporaries, temporary, vendorPackageKey } from './repositoryFixture.js';

const daemons: InProcessDaemon[] = [];
afterAll(async () => {
  for (const d of daemons) await d.stop();
  removeTemporaries();
});
const operator = { 'x-operator': 'tester', 'content-type': 'application/json' };

describe('/v1/repository on the daemon', () => {
  it('fetches for the models of the registers it serves, keeps the package in the store (operator repository), and answers each refusal with its status', async () => {
    const vendor = await VendorRepository.init(join(temporary('fg-vendor-'), 'repo'));
    const d = await startInProcessDaemon({ config: { repository: { url: vendor.publicDir, root: join(vendor.publicDir, '1.root.json') } } });
    daemons.push(d);
    const before = (await d.request({ method: 'GET', url: '/v1/repository' })).json() as { repository: Record<string, unknown> };
    expect(before.repository).toMatchObject({ repository: vendor.publicDir, root: { version: 1 }, timestamp: null, verifiedAt: null, packages: [] });

    // No package for the served model yet: nothing fetched, not an error.
    const empty = await d.request({ method: 'POST', url: '/v1/repository/fetch', headers: operator, payload: {} });
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({ fetched: [], models: [d.fresh.identity!.model] });

    await vendor.add(await packageFile(vendor.dir, vendorPackageKey(vendor), '9.1.0', 20_000, d.fresh.identity!.model));
    await vendor.publish();
    const fetched = await d.request({ method: 'POST', url: '/v1/repository/fetch', headers: operator, payload: {} });
    expect(fetched.statusCode, fetched.body).toBe(200);
    const { fetched: [one] } = fetched.json() as { fetched: { packageId: string; downloaded: boolean }[] };
    expect(one).toMatchObject({ downloaded: true });
    const stored = (await d.request({ method: 'GET', url: `/v1/packages/${one!.packageId}` })).json() as { package: { operator: string; manifest: { version: string } } };
    expect(stored.package).toMatchObject({ operator: 'repository', manifest: { version: '9.1.0' } });

    const notListed = await d.request({ method: 'POST', url: '/v1/repository/fetch', headers: operator, payload: { model: 'NOPE-1' } });
    expect([notListed.statusCode, notListed.json().code]).toEqual([404, 'REPO_TARGET_NOT_FOUND']);
    const gone = await d.request({ method: 'POST', url: '/v1/repository/refresh', headers: operator, payload: { from: '/nonexistent/repository' } });
    expect([gone.statusCode, gone.json().code]).toEqual([503, 'REPO_UNREACHABLE']);
    const both = await d.request({ method: 'POST', url: '/v1/repository/fetch', headers: operator, payload: { from: '/x', fromStick: true } });
    expect(both.statusCode).toBe(400);
    const noStick = await d.request({ method: 'POST', url: '/v1/repository/fetch', headers: operator, payload: { fromStick: true } });
    expect([noStick.statusCode, noStick.json().code]).toEqual([404, 'REPO_STICK_NOT_FOUND']);
  });

  it('without a repository configured: the status says so, a fetch is REPO_NOT_CONFIGURED (409)', async () => {
    const d = await startInProcessDaemon();
    daemons.push(d);
    expect((await d.request({ method: 'GET', url: '/v1/repository' })).json()).toMatchObject({ repository: { repository: null, root: null, current: false } });
    const refused = await d.request({ method: 'POST', url: '/v1/repository/fetch', headers: operator, payload: { all: true } });
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'REPO_NOT_CONFIGURED']);
  });
});
