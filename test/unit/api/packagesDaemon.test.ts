import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessDaemon, type InProcessDaemon } from './daemonHarness.js';

const fixtures = new URL('../../../fixtures/packages/', import.meta.url).pathname;
let d: InProcessDaemon;

beforeAll(async () => {
  d = await startInProcessDaemon();
});
afterAll(async () => {
  await d.stop();
});

describe('fiscald serves /v1/packages against its trusted-keys folder', () => {
  it('refuses every package while <data-dir>/trusted-keys holds no key, accepts once the vendor key is put there (no restart)', async () => {
    const upload = () => d.request({ method: 'POST', url: '/v1/packages', payload: readFileSync(join(fixtures, 'vector-sm2.fwpkg')), headers: { 'content-type': 'application/octet-stream', 'x-operator': 'tech' } });
    const refused = await upload();
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'FWPKG_UNKNOWN_KEY', detail: expect.stringContaining('trusted-keys') });
    mkdirSync(join(d.dataDir, 'trusted-keys'), { recursive: true });
    copyFileSync(join(fixtures, 'vector-sm2.pub'), join(d.dataDir, 'trusted-keys', 'vendor.pub'));
    const kept = await upload();
    expect(kept.statusCode).toBe(201);
    const id = kept.json().package.id as string;
    expect(existsSync(join(d.dataDir, 'packages', id, 'package.fwpkg'))).toBe(true);
    expect((await d.request({ method: 'GET', url: '/v1/packages' })).json().packages.map((p: { id: string }) => p.id)).toEqual([id]);
    expect((await d.request({ method: 'DELETE', url: `/v1/packages/${id}`, headers: { 'x-operator': 'tech' } })).statusCode).toBe(200);
    expect(existsSync(join(d.dataDir, 'packages', id))).toBe(false);
  });
});
