import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { exchange, openSocket, type RawAnswer } from '../helpers/rawHttp.js';

/**
 * fiscald's HTTP edge as a real process (issue 15 item 1): router and parser refusals as problem+json after the
 * Host and token checks, the connection and event-stream caps from the environment, an id however it is
 * percent-encoded in one Idempotency-Key scope, and a token put in the query kept out of the log.
 */
let daemon: RunningDaemon;
const sockets: Socket[] = [];
const QUERY_SECRET = 'query-secret-7a1f0c9e';

beforeAll(async () => {
  daemon = await startDaemon({
    simulate: 1, args: ['--simulator-timing', '{"selfCheckMs":4000}'],
    env: { FISCALD_MAX_CONNECTIONS: '6', FISCALD_MAX_EVENT_STREAMS: '1' },
  });
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  const code = await daemon.stop();
  removeDataDir(daemon.dataDir);
  expect(code).toBe(0);
});

function send(method: string, path: string, lines: string[] = [], body?: string): Promise<RawAnswer> {
  const head = [`${method} ${path} HTTP/1.1`, ...lines, ...(body === undefined ? [] : [`Content-Length: ${Buffer.byteLength(body)}`]), 'Connection: close'];
  return exchange(daemon.port, `${head.join('\r\n')}\r\n\r\n${body ?? ''}`);
}

const host = () => `Host: 127.0.0.1:${daemon.port}`;
const auth = () => `Authorization: Bearer ${daemon.token}`;

function expectProblem(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status, answer.body.slice(0, 300)).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(answer.json().code).toBe(code);
  expect(Object.keys(answer.json().messages ?? {}).sort()).toEqual(['en', 'zh-CN']);
}

describe('fiscald HTTP edge', () => {
  it('router refusals only after the Host and token checks', async () => {
    for (const path of ['/v1/jobs/%ZZ/events', `/v1/jobs/${'i'.repeat(201)}/events`, '/v1/nope']) {
      expectProblem(await send('GET', path, ['Host: evil.example', auth()]), 403, 'FORBIDDEN_HOST');
      expectProblem(await send('GET', path, [host()]), 401, 'UNAUTHORIZED');
    }
    expectProblem(await send('GET', '/v1/jobs/%ZZ/events', [host(), auth()]), 400, 'URL_INVALID');
    expectProblem(await send('GET', `/v1/jobs/${'i'.repeat(201)}/events`, [host(), auth()]), 414, 'PATH_PARAMETER_TOO_LONG');
    expectProblem(await send('PUT', '/v1/jobs', [host(), auth()]), 405, 'METHOD_NOT_ALLOWED');
  });

  it("Node's parser refusals and a request without Host", async () => {
    expectProblem(await send('GET', '/v1/health'), 403, 'FORBIDDEN_HOST');
    expectProblem(await send('GET', '/v1/health', [host(), `X-Pad: ${'p'.repeat(20_000)}`]), 431, 'HEADERS_TOO_LARGE');
    expectProblem(await exchange(daemon.port, 'NOT HTTP AT ALL\r\n\r\n'), 400, 'MALFORMED_HTTP');
    expectProblem(await send('GET', '/v1/jobs', [host(), auth(), auth()]), 400, 'DUPLICATE_HEADER');
    expectProblem(await send('GET', `/v1/jobs?limit=0x10`, [host(), auth()]), 400, 'VALIDATION_FAILED');
  });

  it('an id however it is percent-encoded is one Idempotency-Key scope; another operator is refused', async () => {
    const devices = (await send('GET', '/v1/devices', [host(), auth()])).json() as unknown as { devices: { id: string }[] };
    const id = devices.devices[0]!.id;
    const encoded = `%${id.charCodeAt(0).toString(16)}${id.slice(1)}`;
    const lines = (operator: string) => [host(), auth(), `X-Operator: ${operator}`, 'Idempotency-Key: edge-e2e-1', 'Content-Type: application/json'];
    const first = await send('POST', `/v1/devices/${id}/diagnostics?token=${QUERY_SECRET}`, lines('e2e'), '{}');
    expectProblem(first, 400, 'VALIDATION_FAILED'); // the route takes no query: refused, and logged without the secret
    const started = await send('POST', `/v1/devices/${id}/diagnostics`, lines('e2e'), '{}');
    expect(started.status, started.body).toBe(202);
    const jobId = (started.json() as { job: { id: string } }).job.id;
    const again = await send('POST', `/v1/devices/${encoded}/diagnostics`, lines('e2e'), '{}');
    expect(again.status, again.body).toBe(200);
    expect((again.json() as { job: { id: string } }).job.id).toBe(jobId);
    expectProblem(await send('POST', `/v1/devices/${id}/diagnostics`, lines('someone-else'), '{}'), 422, 'IDEMPOTENCY_KEY_OTHER_OPERATOR');

    // The job runs for a while (self-check 4 s): one event stream is all FISCALD_MAX_EVENT_STREAMS=1 allows.
    const stream = await openSocket(daemon.port);
    sockets.push(stream);
    const opened = new Promise<string>((resolve) => {
      let seen = '';
      stream.on('data', (chunk: Buffer) => { seen += chunk.toString(); if (seen.includes('\r\n\r\n')) resolve(seen); });
    });
    stream.write(`GET /v1/jobs/${jobId}/events HTTP/1.1\r\n${host()}\r\n${auth()}\r\n\r\n`);
    expect(await opened).toMatch(/^HTTP\/1\.1 200/);
    const second = await send('GET', `/v1/jobs/${jobId}/events`, [host(), auth()]);
    expectProblem(second, 503, 'TOO_MANY_EVENT_STREAMS');
    expect(second.headers['retry-after']).toBe('5');
    stream.destroy();
    expect((await send('POST', `/v1/jobs/${jobId}/cancel`, [host(), auth(), 'X-Operator: e2e'])).status).toBe(202);
  });

  it('connections over FISCALD_MAX_CONNECTIONS=6 are answered 503 TOO_MANY_CONNECTIONS, and served again once they close', async () => {
    const idle: Socket[] = [];
    for (let i = 0; i < 6; i += 1) idle.push(await openSocket(daemon.port));
    sockets.push(...idle);
    const refused = await send('GET', '/v1/health', [host()]);
    expectProblem(refused, 503, 'TOO_MANY_CONNECTIONS');
    expect(refused.headers['retry-after']).toBe('5');
    for (const socket of idle) socket.destroy();
    let answer: RawAnswer | undefined;
    for (let tries = 0; tries < 100 && answer?.status !== 200; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await send('GET', '/v1/health', [host()]);
    }
    expect(answer?.status).toBe(200);
  });

  it('the log holds no token sent in the query', () => {
    expect(daemon.output()).toContain('state-changing request');
    expect(daemon.output().includes(QUERY_SECRET)).toBe(false);
    expect(daemon.output().includes(daemon.token)).toBe(false);
  });
});
