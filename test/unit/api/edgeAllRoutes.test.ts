import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from '../../helpers/rawHttp.js';
import { startInProcessDaemon, type InProcessDaemon } from './daemonHarness.js';

/**
 * Issue 15's acceptance for the HTTP edge ("0 5xx, 0 responses outside problem+json"), in small: every route the
 * daemon documents (all areas of fiscald --simulate=2), on its real listening socket, with hostile paths, queries,
 * headers and bodies. Each answer is a success or a 4xx problem+json.
 */
let d: InProcessDaemon;
let routes: { method: string; path: string }[];
beforeAll(async () => {
  d = await startInProcessDaemon();
  const doc = (await d.request({ method: 'GET', url: '/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
}, 60_000);
afterAll(async () => { await d.stop(); });

const segment = fc.oneof(
  fc.string({ maxLength: 24 }).map((text) => encodeURIComponent(text)),
  fc.constantFrom('%', '%ZZ', '%00', '%2F', '%2e%2e', '%C0%AF', '%FF', '0x10', '1e3', '-1', '016', '', 'a'.repeat(201)),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 100 }),
  fc.constantFrom('{"__proto__":{"x":1}}', '{"a":', '[]', 'null', `{"big":"${'x'.repeat(70 * 1024)}"}`),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', undefined);

describe('every documented route on the real socket', () => {
  it('answers a success or a 4xx problem+json to hostile input (fast-check)', async () => {
    expect(routes.length).toBeGreaterThan(25);
    const host = `127.0.0.1:${d.daemon.port}`;
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...routes), segment, fc.constantFrom('same', 'GET', 'POST', 'DELETE', 'PATCH'), body, contentType,
      fc.constantFrom('', '?limit=0x10', '?after=%ZZ', '?format=pdf', '?token=x', '?state=all&device=%00'),
      async (route, value, methodChoice, payload, type, query) => {
        const method = methodChoice === 'same' ? route.method : methodChoice;
        const path = `${route.path.replace(/\{\w+\}/g, value || 'x')}${query}`;
        const bytes = payload === undefined ? undefined : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
        const head = [
          `${method} ${path} HTTP/1.1`, `Host: ${host}`, `Authorization: Bearer ${d.token}`, 'X-Operator: fuzz',
          ...(type === undefined ? [] : [`Content-Type: ${type}`]), ...(bytes === undefined ? [] : [`Content-Length: ${bytes.length}`]), 'Connection: close',
        ];
        const request = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), bytes ?? Buffer.alloc(0)]);
        const answer = await exchange(d.daemon.port, request);
        const what = `${method} ${path} ${type ?? ''} → ${answer.status} ${answer.body.slice(0, 200)}`;
        expect(answer.status, what).toBeGreaterThanOrEqual(200);
        expect(answer.status, what).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.headers['content-type'], what).toBe('application/problem+json; charset=utf-8');
      },
    ), { numRuns: 250 });
    for (const job of d.daemon.jobs.activeJobs()) await d.daemon.jobs.settled(job.id);
  }, 120_000);
});
