import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { buildServer } from '../../../src/api/buildServer.js';
import { lazyRequestLogger } from '../../../src/api/lazyRequestLogger.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { createLogger } from '../../../src/log.js';
import { openStore } from '../../../src/store/Store.js';
import { FakeDirectory, PORT, snapshot, TOKEN } from './apiHarness.js';

describe('a request logger is made only when the request logs something', () => {
  it('makes no pino child for a request that logs nothing, and one with its reqId for a line', () => {
    const lines: string[] = [];
    const parent = createLogger({ level: 'info' }, { write: (line: string) => { lines.push(line); } }) as unknown as FastifyBaseLogger;
    const child = vi.spyOn(parent, 'child');
    const quiet = lazyRequestLogger(parent, { reqId: 'req-1' }, {});
    expect(quiet.level).toBe('info');
    expect(child).not.toHaveBeenCalled();
    const logging = lazyRequestLogger(parent, { reqId: 'req-2' }, {});
    expect(child).not.toHaveBeenCalled();
    logging.info({ authorization: 'Bearer secret-token' }, 'state-changing request');
    logging.warn('again');
    expect(child).toHaveBeenCalledTimes(1);
    const logged = lines.map((line) => JSON.parse(line) as { reqId?: string; msg: string; authorization?: string });
    expect(logged).toMatchObject([{ reqId: 'req-2', msg: 'state-changing request', authorization: '[redacted]' }, { reqId: 'req-2', msg: 'again' }]);
  });

  it('serves GETs without making a child logger, and logs a state-changing request with its reqId', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info' }, { write: (line: string) => { lines.push(line); } });
    const child = vi.spyOn(logger, 'child');
    const store = openStore(':memory:');
    const app = await buildServer(
      { jobs: new JobRunner({ store }), store, devices: new FakeDirectory([snapshot('1100000000000001')]), logger, version: 'test' },
      { token: TOKEN, port: () => PORT },
    );
    try {
      const headers = { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}` };
      child.mockClear();
      for (let i = 0; i < 3; i += 1) expect((await app.inject({ method: 'GET', url: '/v1/devices', headers })).statusCode).toBe(200);
      expect(child).not.toHaveBeenCalled();
      const posted = await app.inject({ method: 'POST', url: '/v1/devices', headers: { ...headers, 'x-operator': 'li' } });
      expect(posted.statusCode).toBe(405);
      const line = lines.map((l) => JSON.parse(l) as { msg: string; reqId?: string; status?: number }).find((l) => l.msg === 'state-changing request');
      expect(line).toMatchObject({ status: 405, reqId: expect.any(String) });
    } finally {
      await app.close();
      store.close();
    }
  });
});
