import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN } from './apiHarness.js';
import { exchange, startEdgeServer, type EdgeServer, type RawAnswer } from './edgeHarness.js';

/**
 * The HTTP edge on a real socket, as fiscald serves it: every answer — the router's and Node's parser's
 * refusals included — is application/problem+json with a stable code and both languages, and the Host and
 * token checks come before anything about the route is revealed.
 */
let s: EdgeServer;
beforeAll(async () => { s = await startEdgeServer(); });
afterAll(async () => { await s.close(); });

function expectProblem(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status, `${answer.status} ${answer.body.slice(0, 200)}`).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = answer.json();
  expect(body.code).toBe(code);
  expect(body.status).toBe(status);
  expect(body.type).toBe(`urn:fiscal-gateway:error:${code}`);
  expect(/[\u4e00-\u9fff]/.test(body.messages!['zh-CN']!.title), 'a Chinese title').toBe(true);
  expect(body.messages!.en!.title.length).toBeGreaterThan(0);
}

const longId = 'a'.repeat(201);

describe('router errors come after the Host and token checks', () => {
  it.each([
    ['a percent-encoding that does not decode', 400, 'URL_INVALID', '/v1/jobs/%ZZ/events'],
    ['an id over 200 characters', 414, 'PATH_PARAMETER_TOO_LONG', `/v1/jobs/${longId}/events`],
    ['an unknown path', 404, 'ROUTE_NOT_FOUND', '/v1/nothing-here'],
    ['a path with another method', 405, 'METHOD_NOT_ALLOWED', '/v1/jobs/x/cancel'],
  ])('%s: 403 for a foreign Host, 401 without the token, then %i %s', async (_what, status, code, path) => {
    expectProblem(await s.request('GET', path, { host: 'evil.example' }), 403, 'FORBIDDEN_HOST');
    expectProblem(await s.request('GET', path, { host: 'evil.example', auth: false }), 403, 'FORBIDDEN_HOST');
    expectProblem(await s.request('GET', path, { auth: false }), 401, 'UNAUTHORIZED');
    const answer = await s.request('GET', path);
    expectProblem(answer, status, code);
    expect(answer.body.includes(longId), 'the over-long id is not echoed').toBe(false);
  });

  it('a refused body (wrong media type, too large, malformed JSON) is 401 without the token, a problem with it', async () => {
    const post = (auth: boolean, contentType: string, body: string) => s.request('POST', '/v1/devices/1100000000000001/diagnostics', {
      auth, extra: [`Content-Type: ${contentType}`, 'X-Operator: edge'], body,
    });
    expectProblem(await post(false, 'text/plain', 'x'), 401, 'UNAUTHORIZED');
    expectProblem(await post(true, 'text/plain', 'x'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await post(false, 'application/json', JSON.stringify({ big: 'x'.repeat(70 * 1024) })), 401, 'UNAUTHORIZED');
    expectProblem(await post(true, 'application/json', JSON.stringify({ big: 'x'.repeat(70 * 1024) })), 413, 'PAYLOAD_TOO_LARGE');
    expectProblem(await post(true, 'application/json', '{"a":'), 400, 'MALFORMED_JSON');
    expectProblem(await post(true, 'application/json', '{"a":1}'), 400, 'VALIDATION_FAILED');
  });

  it('a problem is in the language asked for', async () => {
    const answer = await s.request('GET', '/v1/jobs/%ZZ', { extra: ['Accept-Language: zh-CN'] });
    expectProblem(answer, 400, 'URL_INVALID');
    expect(answer.headers['content-language']).toBe('zh-CN');
    expect(answer.json().title).toBe(answer.json().messages!['zh-CN']!.title);
  });
});

describe("what Node's parser refuses is problem+json too", () => {
  it('HTTP/1.1 without Host is 403 FORBIDDEN_HOST (Node would answer a bare 400)', async () => {
    expectProblem(await s.request('GET', '/v1/health', { host: null }), 403, 'FORBIDDEN_HOST');
    expectProblem(await exchange(s.port, 'GET /v1/health HTTP/1.0\r\n\r\n'), 403, 'FORBIDDEN_HOST');
  });

  it('headers over the limit: 431 HEADERS_TOO_LARGE', async () => {
    expectProblem(await s.request('GET', '/v1/health', { extra: [`X-Padding: ${'p'.repeat(20 * 1024)}`] }), 431, 'HEADERS_TOO_LARGE');
  });

  it.each([
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
    ['a method with spaces', 'G E T / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a header without a colon', 'GET /v1/health HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n'],
    ['a bare LF in a header value', 'GET /v1/health HTTP/1.1\r\nHost: a\nb\r\n\r\n'],
    ['two Content-Length values', 'POST /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
    ['HTTP/9.9', 'GET / HTTP/9.9\r\n\r\n'],
  ])('%s: 400 MALFORMED_HTTP', async (_what, request) => {
    expectProblem(await exchange(s.port, request), 400, 'MALFORMED_HTTP');
  });

  it('an Expect other than 100-continue: 417 EXPECTATION_FAILED (Node would send it bare); 100-continue is honoured', async () => {
    expectProblem(await s.request('GET', '/v1/jobs', { extra: ['Expect: something'] }), 417, 'EXPECTATION_FAILED');
    const continued = await s.request('GET', '/v1/jobs', { extra: ['Expect: 100-continue'] });
    expect(continued.status).toBe(100);
    expect(continued.body).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('proxy forms (an absolute URI, CONNECT) and * are 400 REQUEST_TARGET_UNSUPPORTED, after the Host check', async () => {
    expectProblem(await s.request('GET', 'http://evil.example/v1/jobs'), 400, 'REQUEST_TARGET_UNSUPPORTED');
    expectProblem(await s.request('GET', `http://127.0.0.1:${s.port}/v1/jobs`), 400, 'REQUEST_TARGET_UNSUPPORTED');
    expectProblem(await s.request('GET', 'http://127.0.0.1/v1/jobs', { host: 'evil.example' }), 403, 'FORBIDDEN_HOST');
    expectProblem(await s.request('GET', '*'), 400, 'REQUEST_TARGET_UNSUPPORTED');
    expectProblem(await s.request('OPTIONS', '*', { auth: false }), 400, 'REQUEST_TARGET_UNSUPPORTED');
    expectProblem(await exchange(s.port, `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n\r\n`), 400, 'REQUEST_TARGET_UNSUPPORTED');
  });

  it('a chunked body that does not parse: the Host check has answered from the headers already', async () => {
    expectProblem(await exchange(s.port, 'POST /v1/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n'), 403, 'FORBIDDEN_HOST');
  });

  it('random bytes as a request: always a problem+json answer, never a 5xx (fast-check)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.oneof(
        // Printable lines only and no body framing: each request is complete, so each must be answered.
        fc.string({ minLength: 1, maxLength: 200 }).map((line) => `${line}\r\n\r\n`),
        fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'X'), fc.string({ maxLength: 80 }),
          fc.array(fc.string({ maxLength: 60 }).filter((h) => !/content-length|transfer-encoding/i.test(h)), { maxLength: 4 }))
          .map(([method, path, headers]) => `${method} /${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\nConnection: close\r\n\r\n`),
      ),
      async (request) => {
        const answer = await exchange(s.port, Buffer.from(request, 'latin1'));
        expect(answer.status, request).toBeGreaterThanOrEqual(400);
        expect(answer.status, request).toBeLessThan(500);
        expect(answer.headers['content-type'], request).toMatch(/^application\/problem\+json/);
      },
    ), { numRuns: 150 });
  });
});

describe('random paths and queries on the routes (fast-check, raw bytes on the socket)', () => {
  it('every answer is a success or a 4xx problem+json: never a 5xx, never another error format', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 30 }).map((text) => encodeURIComponent(text)),
      fc.constantFrom('%', '%Z', '%ZZ', '%zz', '%0', '%00', '%2F', '%2e%2e', '..', '%C0%AF', '%FF', '%E4%B8', '1100000000000001', ''),
      fc.integer({ min: 190, max: 260 }).map((length) => 'x'.repeat(length)),
    );
    const templates = ['/v1/jobs/$', '/v1/jobs/$/events', '/v1/jobs/$/cancel', '/v1/devices/$', '/v1/devices/$/diagnostics', '/v1/diagnostics/$',
      '/v1/records/$/follow-up', '/v1/certificates/repair/$', '/v1/$', '/$', '/console/$'];
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...templates), segment, fc.constantFrom('GET', 'POST', 'DELETE', 'PUT'),
      fc.oneof(fc.constant(''), fc.tuple(fc.constantFrom('limit', 'after', 'state', 'token', '%ZZ', ''), segment).map(([name, value]) => `?${name}=${value}`)),
      async (template, value, method, query) => {
        const path = `${template.replace('$', value)}${query}`;
        const answer = await s.request(method, path, {
          extra: ['X-Operator: fuzz', 'Content-Type: application/json'], ...(method === 'GET' ? {} : { body: '{}' }),
        });
        expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(200);
        expect(answer.status, `${method} ${path} ${answer.body.slice(0, 200)}`).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.headers['content-type'], `${method} ${path}`).toBe('application/problem+json; charset=utf-8');
      },
    ), { numRuns: 300 });
  });
});

describe('security headers are taken once', () => {
  it.each([
    ['Host', [`Host: 127.0.0.1:PORT`]],
    ['Authorization', [`Authorization: Bearer ${TOKEN}`]],
    ['Cookie', ['Cookie: a=1', 'Cookie: b=2']],
    ['X-CSRF-Token', ['X-CSRF-Token: a', 'X-CSRF-Token: b']],
  ])('a second %s header: 400 DUPLICATE_HEADER', async (name, lines) => {
    const answer = await s.request('GET', '/v1/jobs', { extra: lines.map((line) => line.replace('PORT', String(s.port))) });
    expectProblem(answer, 400, 'DUPLICATE_HEADER');
    expect(answer.json().title).toContain(name.toLowerCase());
  });

  it('a second Host naming another site is refused even when the first is ours (Node keeps the first)', async () => {
    expectProblem(await s.request('GET', '/v1/nothing', { extra: ['Host: evil.example'] }), 400, 'DUPLICATE_HEADER');
  });
});
