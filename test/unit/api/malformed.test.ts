import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from './apiHarness.js';

let h: Harness;
let routes: { method: string; url: string }[];
beforeAll(async () => {
  h = await harness();
  const doc = (await h.request({ method: 'GET', url: '/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), url: path.replace(/\{\w+\}/g, '1100000000000001') })));
});
afterAll(async () => { await h.close(); });

const headers = { 'x-operator': 'tester' };

function expectClientProblem(res: Awaited<ReturnType<Harness['request']>>, what: string): void {
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, what).toBeLessThan(500);
  expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
  expect(typeof res.json().code, what).toBe('string');
}

describe('malformed requests on every route are 4xx problem+json, never 5xx', () => {
  const bodies: [string, string, string][] = [
    ['malformed JSON', '{"a":', 'application/json'],
    ['empty JSON', '', 'application/json'],
    ['proto poisoning', '{"__proto__":{"x":1}}', 'application/json'],
    ['unknown field', '{"surprise":true}', 'application/json'],
    ['wrong type', '[1,2,3]', 'application/json'],
    ['oversize', JSON.stringify({ big: 'x'.repeat(70 * 1024) }), 'application/json'],
    ['xml', '<a/>', 'application/xml'],
  ];
  it.each(bodies)('%s', async (what, payload, contentType) => {
    for (const route of routes.filter((r) => r.method === 'POST')) {
      const res = await h.request({ method: 'POST', url: route.url, payload, headers: { ...headers, 'content-type': contentType } });
      expectClientProblem(res, `${what} ${route.method} ${route.url}`);
    }
  });

  it('unknown query parameters and wrong query types', async () => {
    for (const route of routes.filter((r) => r.method === 'GET' && !r.url.endsWith('/health') && !r.url.endsWith('/openapi.json'))) {
      const res = await h.request({ method: 'GET', url: `${route.url}?surprise=1&limit=-5&since=never&format=pdf` });
      if (res.statusCode === 404) continue; // ids that do not exist are fine 4xx too
      expectClientProblem(res, `GET ${route.url}`);
    }
  });

  it('random paths, queries and bodies (fast-check)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...routes),
      fc.string({ maxLength: 40 }),
      fc.oneof(fc.json(), fc.string({ maxLength: 200 })),
      async (route, junk, body) => {
        const url = route.url.replace('1100000000000001', encodeURIComponent(junk) || 'x');
        const res = await h.request({
          method: route.method as 'GET' | 'POST', url: `${url}?q=${encodeURIComponent(junk)}`, headers: { ...headers, 'content-type': 'application/json' },
          ...(route.method === 'POST' ? { payload: body } : {}),
        });
        expect(res.statusCode, `${route.method} ${url} ${res.body.slice(0, 200)}`).toBeLessThan(500);
      },
    ), { numRuns: 150 });
    await h.jobs.drain(2000);
  });
});
