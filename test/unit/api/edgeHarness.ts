import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../src/api/buildServer.js';
import { diagnosticsRoutes } from '../../../src/api/routes/diagnosticsRoutes.js';
import { EarlyListener } from '../../../src/daemon/EarlyListener.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { FakeAccess, FakeDirectory, snapshot, TOKEN } from './apiHarness.js';
import { exchange, type RawAnswer } from '../../helpers/rawHttp.js';

export { exchange, openSocket, parseRawAnswer, type RawAnswer } from '../../helpers/rawHttp.js';

export interface EdgeServer {
  readonly port: number;
  readonly app: FastifyInstance;
  readonly listener: EarlyListener;
  readonly store: Store;
  readonly jobs: JobRunner;
  readonly access: FakeAccess;
  /** `METHOD path HTTP/1.1` with Host, the token (unless `auth: false`) and `extra` header lines, then `body`. */
  request(method: string, path: string, options?: { auth?: boolean; host?: string | null; extra?: string[]; body?: string }): Promise<RawAnswer>;
  close(): Promise<void>;
}

/** The API served as fiscald serves it: on an EarlyListener's server bound to a free loopback port. */
export async function startEdgeServer(options: { maxConnections?: number; maxEventStreams?: number } = {}): Promise<EdgeServer> {
  const listener = await EarlyListener.bind('127.0.0.1', 0, { ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }) });
  const port = listener.port;
  const store = openStore(':memory:');
  const jobs = new JobRunner({ store });
  const access = new FakeAccess();
  const app = await buildServer(
    { jobs, store, devices: new FakeDirectory([snapshot('1100000000000001')]), logger: silentLogger, version: 'edge-test' },
    {
      token: TOKEN, port: () => port, plugins: [diagnosticsRoutes(access, access.diagnosticsOf)], server: listener.server,
      ...(options.maxEventStreams === undefined ? {} : { maxEventStreams: options.maxEventStreams }),
    },
  );
  listener.serve((request, response) => app.routing(request, response));
  return {
    port, app, listener, store, jobs, access,
    request(method, path, { auth = true, host = `127.0.0.1:${port}`, extra = [], body } = {}) {
      const lines = [
        `${method} ${path} HTTP/1.1`,
        ...(host === null ? [] : [`Host: ${host}`]),
        ...(auth ? [`Authorization: Bearer ${TOKEN}`] : []),
        ...extra,
        ...(body === undefined ? [] : [`Content-Length: ${Buffer.byteLength(body)}`]),
        'Connection: close',
      ];
      return exchange(port, `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
    },
    async close() {
      await jobs.drain(1000);
      await app.close();
      await listener.close();
      store.close();
    },
  };
}
