import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN } from './apiHarness.js';
import { openSocket, startEdgeServer, type EdgeServer, type RawAnswer } from './edgeHarness.js';

/** The caps on connections and job event streams, and the answer of a daemon that is stopping: 503 problem+json. */
let s: EdgeServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await s?.close();
  s = undefined;
});

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let tries = 0; !(await condition()); tries += 1) {
    if (tries > 500) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function expect503(answer: RawAnswer, code: string): void {
  expect(answer.status, answer.body).toBe(503);
  expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(answer.headers['retry-after']).toBe('5');
  expect(answer.json().code).toBe(code);
  expect(/[\u4e00-\u9fff]/.test(answer.json().messages!['zh-CN']!.title)).toBe(true);
}

/** Opens a job's event stream and resolves once its headers came (the stream stays open). */
async function openStream(server: EdgeServer, jobId: string): Promise<Socket> {
  const socket = await openSocket(server.port);
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('\r\n\r\n')) {
        if (seen.startsWith('HTTP/1.1 200')) resolve();
        else reject(new Error(seen));
      }
    });
    socket.write(`GET /v1/jobs/${jobId}/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
  });
  return socket;
}

describe('connection cap', () => {
  it('a connection over the cap gets 503 TOO_MANY_CONNECTIONS with Retry-After; once others close, requests pass again', async () => {
    s = await startEdgeServer({ maxConnections: 3 });
    const server = s;
    for (let i = 0; i < 3; i += 1) sockets.push(await openSocket(server.port));
    await until('three connections counted', () => server.listener.openConnections === 3);
    expect503(await server.request('GET', '/v1/jobs'), 'TOO_MANY_CONNECTIONS');
    // Refused before the security checks too: nothing about the request is looked at.
    expect503(await server.request('GET', '/v1/jobs', { host: 'evil.example', auth: false }), 'TOO_MANY_CONNECTIONS');
    for (const socket of sockets.splice(0)) socket.destroy();
    await until('connections closed', () => server.listener.openConnections === 0);
    expect((await server.request('GET', '/v1/jobs')).status).toBe(200);
  });
});

describe('event stream cap', () => {
  it('one stream over the cap is 503 TOO_MANY_EVENT_STREAMS with Retry-After; a closed stream frees its place', async () => {
    s = await startEdgeServer({ maxEventStreams: 2 });
    const server = s;
    let release!: () => void;
    server.access.hold = new Promise<void>((resolve) => { release = resolve; });
    const started = await server.request('POST', '/v1/devices/1100000000000001/diagnostics', { extra: ['X-Operator: edge', 'Content-Type: application/json'], body: '{}' });
    expect(started.status, started.body).toBe(202);
    const jobId = (started.json() as { job: { id: string } }).job.id;
    const first = await openStream(server, jobId);
    await openStream(server, jobId);
    expect503(await server.request('GET', `/v1/jobs/${jobId}/events`), 'TOO_MANY_EVENT_STREAMS');
    first.destroy();
    await until('a place is free again', async () => (await server.request('GET', `/v1/jobs/${jobId}`)).status === 200 && await openStream(server, jobId).then(() => true, () => false));
    release();
    await server.jobs.settled(jobId);
  });
});

describe('a daemon that is stopping', () => {
  it('answers 503 SHUTTING_DOWN problem+json instead of handing the request to a closing API', async () => {
    s = await startEdgeServer();
    s.listener.stopServing();
    const answer = await s.request('GET', '/v1/jobs');
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(answer.json().code).toBe('SHUTTING_DOWN');
  });
});
