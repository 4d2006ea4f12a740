import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApiPlugin } from '../../../src/api/ApiContext.js';
import { buildServer } from '../../../src/api/buildServer.js';
import { defineRoute } from '../../../src/api/defineRoute.js';
import { idempotencyClaim } from '../../../src/api/idempotency.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { FakeDirectory, PORT, snapshot, TOKEN } from './apiHarness.js';

/** A service plugin as later issues write them: its own route, a job with a body, an Idempotency-Key. */
const echoJobs: ApiPlugin = {
  name: 'echo',
  register(app, { catalog, jobs }) {
    defineRoute(app, catalog, {
      method: 'POST', url: '/devices/:id/echo', summary: 'test job', params: z.strictObject({ id: z.string() }),
      body: z.strictObject({ n: z.number().int(), pin: z.string().optional() }),
      handler: async ({ params, body, operator, request, reply }) => {
        const { job, reused } = jobs.start({
          kind: 'echo', deviceId: params.id, operator, params: body, stages: [{ id: 'echo', weight: 1 }],
          idempotency: idempotencyClaim(request, body), run: async () => body.n,
        });
        reply.code(reused ? 200 : 202);
        return { id: job.id, params: job.params };
      },
    });
  },
};

let store: Store | undefined;
afterEach(() => store?.close());

describe('Idempotency-Key on a service plugin', () => {
  it('returns the same job for the same key and body (key order ignored), 422 for another body, and stores params redacted', async () => {
    store = openStore(':memory:');
    const jobs = new JobRunner({ store });
    const app = await buildServer(
      { jobs, store, devices: new FakeDirectory([snapshot('D1')]), logger: silentLogger, version: 't' },
      { token: TOKEN, port: () => PORT, plugins: [echoJobs] },
    );
    const post = (payload: string, key = 'key-1') => app.inject({
      method: 'POST', url: '/v1/devices/D1/echo', payload,
      headers: { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}`, 'x-operator': 'op', 'idempotency-key': key, 'content-type': 'application/json' },
    });
    const first = await post('{"n":1,"pin":"123456"}');
    expect(first.statusCode).toBe(202);
    expect(first.json().params).toEqual({ n: 1, pin: '[redacted]' });
    const same = await post('{"pin":"123456","n":1}');
    expect(same.statusCode).toBe(200);
    expect(same.json().id).toBe(first.json().id);
    const other = await post('{"n":2}');
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    const bad = await post('{"n":2}', 'has space');
    expect(bad.statusCode).toBe(400);
    await jobs.drain(1000);
    await app.close();
  });
});
