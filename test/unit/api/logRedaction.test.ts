import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../src/api/buildServer.js';
import { loggedUrl } from '../../../src/api/edge/loggedUrl.js';
import { diagnosticsRoutes } from '../../../src/api/routes/diagnosticsRoutes.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { createLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { FakeAccess, FakeDirectory, PORT, snapshot, TOKEN } from './apiHarness.js';

/** Every line the API logs (at trace) is searched for the secrets a client sent in the URL and the headers. */
const lines: string[] = [];
let app: FastifyInstance;
let store: Store;
let jobs: JobRunner;
const secrets = {
  queryToken: 'QUERY-TOKEN-5f3a9c', accessToken: 'ACCESS-TOKEN-77d2e1', once: 'ONCE-LINK-0b9e44', sessionCookie: 'SESSION-COOKIE-a1c3',
  csrf: 'CSRF-TOKEN-e5f7', junk: 'JUNK-PARAM-9d9d',
};

beforeAll(async () => {
  store = openStore(':memory:');
  const logger = createLogger({ level: 'trace' }, { write: (line: string) => { lines.push(line); } });
  jobs = new JobRunner({ store, logger });
  const access = new FakeAccess();
  app = await buildServer(
    { jobs, store, devices: new FakeDirectory([snapshot('1100000000000001')]), logger, version: 'log-test' },
    { token: TOKEN, port: () => PORT, plugins: [diagnosticsRoutes(access, access.diagnosticsOf)] },
  );
  const headers = { host: `127.0.0.1:${PORT}`, 'x-operator': 'log-test', 'content-type': 'application/json' };
  const query = `token=${secrets.queryToken}&access_token=${secrets.accessToken}&whatever=${secrets.junk}&limit=5`;
  const started = await app.inject({ method: 'POST', url: '/v1/devices/1100000000000001/diagnostics', payload: {}, headers: { ...headers, authorization: `Bearer ${TOKEN}` } });
  await jobs.settled((started.json() as { job: { id: string } }).job.id);
  // A token where it does not belong: in the query (the route takes none, so 400), logged all the same.
  await app.inject({ method: 'POST', url: `/v1/devices/1100000000000001/diagnostics?${query}`, payload: {}, headers: { ...headers, authorization: `Bearer ${TOKEN}` } });
  // Refused ones are logged too: a cookie without its CSRF token, a token sent where only the query carries it.
  await app.inject({ method: 'POST', url: `/v1/jobs/x/cancel?${query}`, payload: {}, headers: { ...headers, cookie: `fiscal_console=${secrets.sessionCookie}`, 'x-csrf-token': secrets.csrf } });
  await app.inject({ method: 'DELETE', url: `/v1/packages/x?access_token=${TOKEN}`, headers });
  await app.inject({ method: 'GET', url: `/console/login?once=${secrets.once}`, headers });
  await app.inject({ method: 'POST', url: `/console/login?once=${secrets.once}`, headers: { ...headers, authorization: `Bearer ${TOKEN}` } });
  // What a route or a hook might log of a request: pino blanks the headers wherever they sit.
  logger.info({ req: { headers: { authorization: `Bearer ${TOKEN}`, cookie: `fiscal_console=${secrets.sessionCookie}`, 'x-csrf-token': secrets.csrf } } }, 'a request');
  logger.info({ headers: { authorization: `Bearer ${TOKEN}`, 'x-csrf-token': secrets.csrf }, res: { headers: { 'set-cookie': `fiscal_console=${secrets.sessionCookie}` } } }, 'an answer');
}, 30_000);
afterAll(async () => {
  await app.close();
  store.close();
});

describe('secrets stay out of the log', () => {
  it('no line holds the bearer token, a query token, a login link, the session cookie or the CSRF token', () => {
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [TOKEN, ...Object.values(secrets)]) {
      expect(lines.filter((line) => line.includes(secret)), secret).toEqual([]);
    }
  });

  it('the state-changing request line keeps the path and the parameters the API takes', () => {
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; url?: string; status?: number })
      .filter((line) => line.msg === 'state-changing request');
    expect(logged.map((line) => line.status)).toEqual([202, 400, 401, 401, 400]);
    expect(logged[0]!.url).toBe('/v1/devices/1100000000000001/diagnostics');
    expect(logged[1]!.url).toBe('/v1/devices/1100000000000001/diagnostics?token=[redacted]&access_token=[redacted]&whatever=[redacted]&limit=5');
    expect(logged[3]!.url).toBe('/v1/packages/x?access_token=[redacted]');
    expect(logged[4]!.url).toBe('/console/login?once=[redacted]');
  });

  it('loggedUrl: names no route takes and secret names are blanked, long paths and values cut', () => {
    const known = new Set(['limit', 'state', 'token']);
    expect(loggedUrl('/v1/jobs?limit=5&state=running', known)).toBe('/v1/jobs?limit=5&state=running');
    expect(loggedUrl('/v1/jobs?token=abc&limit=5', known)).toBe('/v1/jobs?token=[redacted]&limit=5');
    expect(loggedUrl('/v1/jobs?Authorization=Bearer%20x', known)).toBe('/v1/jobs?Authorization=[redacted]');
    expect(loggedUrl(`/v1/jobs/${'a'.repeat(300)}`, known)).toBe(`/v1/jobs/${'a'.repeat(191)}…`);
    expect(loggedUrl(`/v1/jobs?state=${'b'.repeat(300)}`, known)).toBe(`/v1/jobs?state=${encodeURIComponent(`${'b'.repeat(100)}…`)}`);
  });
});
