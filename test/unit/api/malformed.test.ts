import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPlugin } from '../../../src/api/ApiContext.js';
import { buildServer } from '../../../src/api/buildServer.js';
import { defineRoute } from '../../../src/api/defineRoute.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore } from '../../../src/store/Store.js';
import { FakeDirectory, PORT, TOKEN } from './apiHarness.js';
import { startInProcessDaemon, type InProcessDaemon } from './daemonHarness.js';

/**
 * The malformed-input sweep runs over every route the real daemon registers (every API area of
 * `fiscald --simulate`), taken from its OpenAPI document; buildServer refuses a route that is not in
 * that document, so a new route cannot escape the sweep.
 */
let d: InProcessDaemon;
let routes: { method: string; path: string; url: string }[];
beforeAll(async () => {
  d = await startInProcessDaemon();
  const doc = (await d.request({ method: 'GET', url: '/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  const values: Record<string, string> = { id: d.initialized.id, reader: encodeURIComponent(`${d.fresh.id}/fiscal`) };
  routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({
    method: method.toUpperCase(), path,
    url: path.replace(/\{(\w+)\}/g, (_, name: string) => (path.startsWith('/v1/devices/') || name === 'reader' ? values[name]! : 'no-such-id')),
  })));
}, 60_000);
afterAll(async () => { await d.stop(); });

const headers = { 'x-operator': 'tester' };

function expectClientProblem(res: Awaited<ReturnType<InProcessDaemon['request']>>, what: string): void {
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, what).toBeLessThan(500);
  expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
  expect(typeof res.json().code, what).toBe('string');
}

describe('the route catalogue', () => {
  it('holds every area of the daemon (DESIGN.md "HTTP API" as far as it is built)', () => {
    const listed = routes.map((r) => `${r.method} ${r.path}`);
    expect(listed).toEqual(expect.arrayContaining([
      'GET /v1/health', 'GET /v1/devices', 'GET /v1/devices/{id}', 'GET /v1/readers', 'GET /v1/readers/{reader}/card',
      'POST /v1/devices/{id}/initialize', 'POST /v1/devices/{id}/changes', 'POST /v1/devices/{id}/rolls', 'POST /v1/devices/{id}/deregister',
      'POST /v1/devices/{id}/backups', 'GET /v1/devices/{id}/backups', 'GET /v1/backups/{id}', 'POST /v1/backups/{id}/verify',
      'GET /v1/backups/{id}/archive', 'POST /v1/devices/{id}/restore', 'POST /v1/devices/{id}/diagnostics', 'GET /v1/diagnostics/{id}',
      'GET /v1/jobs', 'GET /v1/jobs/{id}', 'GET /v1/jobs/{id}/events', 'POST /v1/jobs/{id}/cancel', 'GET /v1/records', 'GET /v1/openapi.json',
      'POST /v1/packages', 'GET /v1/packages', 'DELETE /v1/packages/{id}',
    ]));
  });

  it('is complete: a route registered around defineRoute stops the server from being built', async () => {
    const rogue: ApiPlugin = {
      name: 'rogue',
      register(app, { catalog }) {
        defineRoute(app, catalog, { method: 'GET', url: '/fine', summary: 'documented', handler: async () => ({}) });
        app.post('/devices/:id/sneaky', async () => ({}));
      },
    };
    const store = openStore(':memory:');
    await expect(buildServer(
      { jobs: new JobRunner({ store }), store, devices: new FakeDirectory([]), logger: silentLogger, version: 't' },
      { token: TOKEN, port: () => PORT, plugins: [rogue] },
    )).rejects.toThrow(/POST \/v1\/devices\/:id\/sneaky/);
    store.close();
  });
});

describe('malformed requests on every route are 4xx problem+json, never 5xx', () => {
  const bodies: [string, string, string][] = [
    ['malformed JSON', '{"a":', 'application/json'],
    ['empty JSON', '', 'application/json'],
    ['proto poisoning', '{"__proto__":{"x":1}}', 'application/json'],
    ['constructor poisoning', '{"constructor":{"prototype":{"x":1}}}', 'application/json'],
    ['unknown field', '{"surprise":true}', 'application/json'],
    ['wrong type', '[1,2,3]', 'application/json'],
    ['wrong scalar', '"a string"', 'application/json'],
    ['oversize', JSON.stringify({ big: 'x'.repeat(70 * 1024) }), 'application/json'],
    ['xml', '<a/>', 'application/xml'],
  ];
  it.each(bodies)('%s', async (what, payload, contentType) => {
    const posts = routes.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(9);
    for (const route of posts) {
      const res = await d.request({ method: 'POST', url: route.url, payload, headers: { ...headers, 'content-type': contentType } });
      expectClientProblem(res, `${what} ${route.method} ${route.url}`);
      if (what === 'unknown field') expect(res.json().code, route.url).toBe('VALIDATION_FAILED');
    }
  });

  it('unknown query parameters and wrong query types, on every GET', async () => {
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const res = await d.request({ method: 'GET', url: `${route.url}?surprise=1&limit=-5&since=never&format=pdf&after=x` });
      expectClientProblem(res, `GET ${route.url}`);
    }
  });

  it('unknown paths are 404 and known paths with another method 405 with Allow, both problem+json', async () => {
    const unknown = await d.request({ method: 'GET', url: '/v1/nothing-here' });
    expectClientProblem(unknown, 'unknown path');
    expect(unknown.json().code).toBe('ROUTE_NOT_FOUND');
    for (const route of routes) {
      const taken = routes.filter((r) => r.path === route.path).map((r) => r.method);
      const other = ['DELETE', 'PUT', 'PATCH'].find((method) => !taken.includes(method))!;
      const res = await d.request({ method: other, url: route.url, headers });
      expectClientProblem(res, `${other} ${route.url}`);
      expect(res.statusCode, `${other} ${route.url}`).toBe(405);
      expect(res.json().code).toBe('METHOD_NOT_ALLOWED');
      expect(res.headers.allow, route.url).toContain(route.method);
    }
    const zh = await d.request({ method: 'PUT', url: '/v1/jobs', headers: { 'accept-language': 'zh-CN' } });
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(zh.json().title).toMatch(/不支持 PUT/);
  });

  it('random paths, queries and bodies on every route (fast-check)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...routes),
      fc.string({ maxLength: 40 }),
      fc.oneof(fc.json(), fc.string({ maxLength: 200 })),
      async (route, junk, body) => {
        const url = route.url.replace(/no-such-id|\d{16}/, encodeURIComponent(junk) || 'x');
        const res = await d.request({
          method: route.method as 'GET' | 'POST', url: `${url}?q=${encodeURIComponent(junk)}`, headers: { ...headers, 'content-type': 'application/json' },
          ...(route.method === 'POST' ? { payload: body } : {}),
        });
        expect(res.statusCode, `${route.method} ${url} ${res.body.slice(0, 200)}`).toBeLessThan(500);
      },
    ), { numRuns: 200 });
  });
});

describe('the OpenAPI document', () => {
  it('gives every operation its path parameters, a closed request body, a 2xx response schema and problem+json errors', async () => {
    interface Operation {
      parameters?: { in: string; name: string; schema: unknown }[];
      requestBody?: { required: boolean; content: Record<string, { schema: { type?: string; additionalProperties?: unknown; oneOf?: unknown[] } }> };
      responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
    }
    const doc = (await d.request({ method: 'GET', url: '/v1/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
    let bodies = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const what = `${method} ${path}`;
        const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect((operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name), what).toEqual(names);
        if (operation.requestBody?.content['application/octet-stream']) {
          // A file upload (POST /v1/packages): the bytes themselves, nothing else.
          expect(operation.requestBody.content, `${what} upload`).toEqual({ 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } });
        } else if (operation.requestBody) {
          const schema = operation.requestBody.content['application/json']!.schema;
          const objects = (schema.oneOf ?? [schema]) as { type?: string; additionalProperties?: unknown }[];
          for (const object of objects) expect(object, `${what} body is a closed object`).toMatchObject({ type: 'object', additionalProperties: false });
        }
        bodies += operation.requestBody ? 1 : 0;
        const success = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
        expect(success.length, what).toBeGreaterThan(0);
        for (const [status, response] of success) {
          const content = Object.values(response.content ?? {});
          expect(content.length, `${what} ${status} has a content type`).toBe(1);
          expect(content[0]!.schema, `${what} ${status} has a schema`).toBeTruthy();
        }
        expect(operation.responses.default?.content?.['application/problem+json'], what).toBeTruthy();
      }
    }
    // 12 until fc20f39 added POST /v1/devices/{id}/upgrade ({ package, path, allowDowngrade?, reinstall? }).
    // 15 since issue 12's POST /v1/repository/refresh ({ from? }) and /fetch ({ model?, all?, from? }).
    expect(bodies).toBe(15);
    expect(doc.paths['/v1/devices/{id}/restore']!.post!.requestBody!.required).toBe(true);
    expect(doc.paths['/v1/devices/{id}/rolls']!.post!.requestBody!.required).toBe(false);
  });
});

describe('Idempotency-Key on the routes that start device jobs', () => {
  it('same key and body: the same job (200); another body: 422; the key on another device: its own job', async () => {
    const url = `/v1/devices/${d.fresh.id}/rolls`;
    const post = (payload: object, key: string, to = url) => d.request({ method: 'POST', url: to, payload, headers: { ...headers, 'idempotency-key': key } });
    const first = await post({}, 'roll-key-1');
    expect(first.statusCode, first.body).toBe(202);
    expect(first.headers.location).toBe(`/v1/jobs/${first.json().job.id}`);
    await d.daemon.jobs.settled(first.json().job.id);
    const again = await post({ allowLastPinTry: false }, 'roll-key-1');
    expect(again.statusCode).toBe(200);
    expect(again.json().job.id).toBe(first.json().job.id);
    const other = await post({ allowLastPinTry: true }, 'roll-key-1');
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    const elsewhere = await post({}, 'roll-key-1', `/v1/devices/no-such-device/rolls`);
    expect(elsewhere.json().code).toBe('DEVICE_NOT_FOUND');
  });
});
