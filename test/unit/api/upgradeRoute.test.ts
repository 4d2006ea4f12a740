import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { checkManifest, measureImage } from '../../../protocols/fwpkg/index.js';
import { buildServer } from '../../../src/api/buildServer.js';
import { upgradeRoutes } from '../../../src/api/routes/upgradeRoutes.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import type { PackageForUse } from '../../../src/services/upgrade/UpgradePackages.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { FakeAccess, FakeDirectory, PORT, TOKEN, snapshot } from './apiHarness.js';

const PACKAGE_ID = 'cd'.repeat(16);
const DEVICE = '1100000000000001';
const opened: { app: FastifyInstance; db: Store }[] = [];
afterEach(async () => {
  for (const { app, db } of opened.splice(0)) {
    await app.close();
    db.close();
  }
});

/** A package for the harness's register (SIM-1 running 1.2.3). */
function packageOf(version: string, options: { models?: string[]; paths?: ('serial' | 'usb-stick' | 'ic-card')[] } = {}): PackageForUse {
  const image = Uint8Array.from({ length: 4096 }, (_, i) => i & 0xff);
  const digest = measureImage(image);
  const manifest = checkManifest({
    format: 'fiscal-fwpkg/1', vendor: 'Sim', models: options.models ?? ['SIM-1'], version, versionLowest: '1.0.0', bootloaderLowest: '1.0.0',
    size: image.length, sha256: digest.sha256, sm3: digest.sm3, paths: options.paths ?? ['serial', 'usb-stick'], releaseNotes: '',
    keyId: `ed25519:${'0'.repeat(32)}`, createdAt: '2026-12-01T00:00:00Z',
  });
  return { packageId: PACKAGE_ID, manifest, image };
}

async function server(pkg: PackageForUse, device = snapshot(DEVICE)) {
  const db = openStore(':memory:');
  const jobs = new JobRunner({ store: db });
  const app = await buildServer(
    { jobs, store: db, devices: new FakeDirectory([device]), logger: silentLogger, version: 'test' },
    {
      token: TOKEN, port: () => PORT,
      plugins: [upgradeRoutes({
        registers: new FakeAccess(), packages: { forUse: async () => pkg },
        backupGate: () => ({ pass: () => Promise.reject(new Error('no backup in a refusal test')) }),
      })],
    },
  );
  opened.push({ app, db });
  return {
    jobs,
    upgrade: (body: Record<string, unknown>) => app.inject({
      method: 'POST', url: `/v1/devices/${DEVICE}/upgrade`, payload: { package: PACKAGE_ID, ...body },
      headers: { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}`, 'x-operator': '李工' },
    } as InjectOptions),
  };
}

describe('POST /v1/devices/{id}/upgrade refusals: 422 with the code, before a job starts', () => {
  it.each([
    ['the same version without reinstall', '1.2.3', {}, {}, 'UPGRADE_SAME_VERSION'],
    ['an older version without allowDowngrade', '1.1.0', {}, {}, 'UPGRADE_OLDER_VERSION'],
    ['another model', '1.3.0', { models: ['OTHER'] }, {}, 'UPGRADE_MODEL_NOT_LISTED'],
    ['a path the package does not allow', '1.3.0', { paths: ['serial'] as ('serial')[] }, { path: 'ic-card' }, 'UPGRADE_PATH_NOT_ALLOWED'],
    ['a path this gateway version does not do yet', '1.3.0', {}, { path: 'usb-stick' }, 'UPGRADE_PATH_UNAVAILABLE'],
  ])('%s', async (_name, version, options, body, code) => {
    const { upgrade, jobs } = await server(packageOf(version, options));
    const answer = await upgrade(body);
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toMatchObject({ code });
    expect(jobs.runningOn(DEVICE)).toBeUndefined();
  });

  it('a reinstall asked for is accepted: the job starts (202)', async () => {
    const { upgrade } = await server(packageOf('1.2.3'));
    const answer = await upgrade({ reinstall: true });
    expect(answer.statusCode).toBe(202);
    expect(answer.json()).toMatchObject({ job: { kind: 'upgrade', deviceId: DEVICE } });
  });

  it('a register in its bootloader (37 says 0.0.0) can be upgraded: the job starts although the version is below the lowest', async () => {
    const inBootloader = {
      ...snapshot(DEVICE, 'bootloader'),
      identity: { machineNumber: DEVICE, model: 'SIM-1', hardwareRevision: 'A', firmwareVersion: '0.0.0', bootloaderVersion: '1.0.0', mode: 'bootloader' as const },
    };
    const { upgrade } = await server(packageOf('1.3.0'), inBootloader);
    const answer = await upgrade({});
    expect(answer.statusCode).toBe(202);
  });
});
