import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/buildServer.js';
import { packagesRoutes } from '../../../src/api/routes/packagesRoutes.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import { PackageStore } from '../../../src/services/packages/PackageStore.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { FakeDirectory, PORT, TOKEN } from './apiHarness.js';

const fixtures = new URL('../../../fixtures/packages/', import.meta.url).pathname;
const vector = readFileSync(join(fixtures, 'vector-ed25519.fwpkg'));
const sm2Vector = readFileSync(join(fixtures, 'vector-sm2.fwpkg'));

let dataDir: string;
let apps: { app: FastifyInstance; db: Store; store: PackageStore }[] = [];

async function server(options: { maxBytes?: number; keys?: string[] } = {}) {
  const dir = mkdtempSync(join(dataDir, 'd-'));
  const trusted = join(dir, 'trusted-keys');
  mkdirSync(trusted);
  for (const key of options.keys ?? ['vector-ed25519.pub', 'vector-sm2.pub']) copyFileSync(join(fixtures, key), join(trusted, key));
  const store = PackageStore.forDataDir(dir, { trustedKeysDir: trusted, logger: silentLogger, ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}) });
  const db = openStore(':memory:');
  const app = await buildServer(
    { jobs: new JobRunner({ store: db }), store: db, devices: new FakeDirectory([]), logger: silentLogger, version: 'test' },
    { token: TOKEN, port: () => PORT, plugins: [packagesRoutes({ store })] },
  );
  apps.push({ app, db, store });
  const request = ({ headers, ...rest }: InjectOptions) => app.inject({
    ...rest, headers: { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}`, 'x-operator': '李工', ...headers },
  });
  const upload = (payload: Buffer | Readable) => request({ method: 'POST', url: '/v1/packages', payload, headers: { 'content-type': 'application/octet-stream' } });
  const onDisk = () => { try { return readdirSync(store.dir); } catch { return []; } };
  return { request, upload, onDisk, store };
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'fg-packages-'));
});
afterAll(async () => {
  for (const { app, db } of apps) {
    await app.close();
    db.close();
  }
  apps = [];
  rmSync(dataDir, { recursive: true, force: true });
});

/** The .fwpkg with one byte of its image (firmware.bin starts after manifest.json's header and 1024-byte data block) changed. */
function withImageByteFlipped(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[512 + 1024 + 512 + 100]! ^= 0x40;
  return copy;
}

describe('POST /v1/packages', () => {
  it('keeps a verified package and answers its manifest; the same upload again is the same package (200); list, get, delete', async () => {
    const s = await server();
    const first = await s.upload(vector);
    expect(first.statusCode).toBe(201);
    const pkg = first.json().package;
    expect(pkg).toMatchObject({ operator: '李工', keyId: 'ed25519:bcb89b5112801de59cb7f0d7b178acd5', bytes: vector.length, manifest: { version: '2.5.0', models: ['SK-3000税控机', 'SK-3000A'] } });
    expect(pkg.id).toMatch(/^[0-9a-f]{32}$/);
    expect(readFileSync(join(s.store.dir, pkg.id, 'package.fwpkg')).equals(vector)).toBe(true);
    const again = await s.upload(vector);
    expect(again.statusCode).toBe(200);
    expect(again.json().package.id).toBe(pkg.id);
    expect((await s.upload(sm2Vector)).statusCode).toBe(201);
    const list = (await s.request({ method: 'GET', url: '/v1/packages' })).json().packages;
    expect(list).toHaveLength(2);
    expect((await s.request({ method: 'GET', url: `/v1/packages/${pkg.id}` })).json().package.manifest.sm3).toBe(pkg.manifest.sm3);
    const removed = await s.request({ method: 'DELETE', url: `/v1/packages/${pkg.id}` });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().deleted.id).toBe(pkg.id);
    expect(s.onDisk()).not.toContain(pkg.id);
    const gone = await s.request({ method: 'DELETE', url: `/v1/packages/${pkg.id}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'FWPKG_NOT_FOUND' });
  });

  it('the same package uploaded twice at once is kept once: one 201, one 200, the same id', async () => {
    const s = await server();
    const answers = await Promise.all([s.upload(vector), s.upload(vector)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 201]);
    expect(new Set(answers.map((a) => a.json().package.id)).size).toBe(1);
    expect(s.onDisk()).toHaveLength(1);
  });

  it('refuses a tampered image with its code as problem+json in both languages, and keeps nothing on disk', async () => {
    const s = await server();
    const refused = await s.upload(withImageByteFlipped(vector));
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    const body = refused.json();
    expect(body).toMatchObject({ code: 'FWPKG_IMAGE_TAMPERED', status: 422 });
    expect(body.messages['zh-CN'].title).toMatch(/固件映像的 SHA-256 摘要与签名清单不符/);
    expect(body.messages.en.title).toMatch(/SHA-256 digest does not match/);
    expect(s.onDisk()).toEqual([]);
    expect((await s.request({ method: 'GET', url: '/v1/packages' })).json().packages).toEqual([]);
  });

  it('refuses a tampered manifest, an unknown key, an unsigned package and a non-package, each with its code, nothing kept', async () => {
    const s = await server({ keys: ['vector-sm2.pub'] });
    expect((await s.upload(vector)).json()).toMatchObject({ code: 'FWPKG_UNKNOWN_KEY', status: 422 });
    const manifestFlip = Buffer.from(sm2Vector);
    const at = manifestFlip.indexOf('"version": "2.5.0"') + 13;
    manifestFlip[at] = '6'.charCodeAt(0);
    expect((await s.upload(manifestFlip)).json()).toMatchObject({ code: 'FWPKG_MANIFEST_TAMPERED' });
    expect((await s.upload(Buffer.from('hello, not a tar'.repeat(100)))).json()).toMatchObject({ code: 'FWPKG_MALFORMED' });
    expect(s.onDisk()).toEqual([]);
  });

  it('answers 413 FWPKG_TOO_LARGE past the limit, from Content-Length or mid-stream, and keeps nothing', async () => {
    const s = await server({ maxBytes: 6000 });
    const declared = await s.upload(vector);
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toMatchObject({ code: 'FWPKG_TOO_LARGE' });
    const streamed = await s.upload(Readable.from([vector.subarray(0, 4096), vector.subarray(4096)]));
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json()).toMatchObject({ code: 'FWPKG_TOO_LARGE', status: 413 });
    expect(s.onDisk()).toEqual([]);
  });

  it('over a real connection, a client still sending past the limit reads the 413 (the rest of its upload is not read)', async () => {
    const dir = mkdtempSync(join(dataDir, 'd-'));
    const store = PackageStore.forDataDir(dir, { trustedKeysDir: join(dir, 'trusted-keys'), logger: silentLogger, maxBytes: 64 * 1024 });
    const db = openStore(':memory:');
    let port = 0;
    const app = await buildServer(
      { jobs: new JobRunner({ store: db }), store: db, devices: new FakeDirectory([]), logger: silentLogger, version: 'test' },
      { token: TOKEN, port: () => port, plugins: [packagesRoutes({ store })] },
    );
    apps.push({ app, db, store });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest({
        host: '127.0.0.1', port, method: 'POST', path: '/v1/packages',
        headers: { authorization: `Bearer ${TOKEN}`, 'x-operator': 'x', 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => { body += chunk; });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      // The server closes the connection after its answer: a write that then fails is expected, a missing answer is not.
      request.on('error', (error) => { if (!answered) reject(error); });
      // 1 MiB in 16 KiB chunks, far past the 64 KiB limit; writes after the answer may fail, the answer must not.
      let sent = 0;
      let answered = false;
      const chunk = Buffer.alloc(16 * 1024, 0x55);
      const pump = () => {
        while (sent < 1024 * 1024 && !answered && !request.destroyed) {
          sent += chunk.length;
          if (!request.write(chunk)) return void request.once('drain', pump);
        }
        request.end();
      };
      request.on('response', () => { answered = true; });
      pump();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'FWPKG_TOO_LARGE' });
    expect((() => { try { return readdirSync(store.dir); } catch { return []; } })()).toEqual([]);
  });

  it('takes only the file as the body, needs the operator, and is documented as a binary upload', async () => {
    const s = await server();
    const json = await s.request({ method: 'POST', url: '/v1/packages', payload: { package: 'x' } });
    expect(json.statusCode).toBe(400);
    const noOperator = await s.request({ method: 'POST', url: '/v1/packages', payload: vector, headers: { 'content-type': 'application/octet-stream', 'x-operator': '' } });
    expect(noOperator.statusCode).toBe(400);
    const openapi = (await s.request({ method: 'GET', url: '/v1/openapi.json' })).json();
    expect(openapi.paths['/v1/packages'].post.requestBody.content).toEqual({ 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } });
    expect(Object.keys(openapi.paths['/v1/packages/{id}'])).toEqual(expect.arrayContaining(['get', 'delete']));
    expect(s.onDisk()).toEqual([]);
  });
});
