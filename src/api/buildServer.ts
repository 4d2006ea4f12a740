import type { Server } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { GatewayError } from '../../contracts/errors/index.js';
import type { ApiContext, ApiPlugin } from './ApiContext.js';
import { CONSOLE_OPEN_PATHS, CONSOLE_PATHS, consolePlugin } from './consolePlugin.js';
import { ConsoleSessions } from './security/consoleSessions.js';
import { frameworkErrorHandler, installErrorHandling } from './errorHandling.js';
import { RouteCatalog } from './RouteCatalog.js';
import { installSecurity, securityGuard } from './security/installSecurity.js';
import { answerClientError } from './edge/clientErrors.js';
import { EventStreamGate } from './edge/EventStreamGate.js';
import { loggedUrl } from './edge/loggedUrl.js';
import { lazyRequestLogger } from './lazyRequestLogger.js';
import { healthRoutes } from './routes/healthRoutes.js';
import { deviceRoutes } from './routes/deviceRoutes.js';
import { jobRoutes } from './routes/jobRoutes.js';
import { recordRoutes } from './routes/recordRoutes.js';
import { certificateRoutes } from './routes/certificateRoutes.js';
import { openApiRoutes } from './routes/openApiRoutes.js';

/** Default request-body limit; a route that takes uploads (packages) raises its own. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;
/** The longest path parameter (an id) the router takes; longer is 414 PATH_PARAMETER_TOO_LONG. */
export const MAX_PARAM_LENGTH = 200;

export interface ServerOptions {
  readonly token: string;
  /** The port clients must name in Host; called per request (known only after listen for port 0). */
  readonly port: () => number;
  readonly corsOrigins?: readonly string[];
  readonly extraHosts?: readonly string[];
  readonly bodyLimit?: number;
  /** Areas beyond the core (diagnostics, and later initialize, changes, backups, upgrade…). */
  readonly plugins?: readonly ApiPlugin[];
  /**
   * A server already listening (fiscald binds its address before opening any device): the caller hands its
   * requests to `app.routing` once the app is built, and closes it after `app.close()`.
   */
  readonly server?: Server;
  /** Job event streams (SSE) open at once; one more is 503 TOO_MANY_EVENT_STREAMS (default 32). */
  readonly maxEventStreams?: number;
}

/** Default cap on job event streams open at once (config `limits.eventStreams`). */
export const DEFAULT_MAX_EVENT_STREAMS = 32;

export type ServerDeps = Omit<ApiContext, 'catalog' | 'logger' | 'eventStreams'> & { readonly logger: Logger };

/** The core areas every daemon serves; services add theirs through `ServerOptions.plugins`. */
export const corePlugins: readonly ApiPlugin[] = [healthRoutes, deviceRoutes, jobRoutes, recordRoutes, certificateRoutes, openApiRoutes];

/** Builds the fastify app: security hooks on the root, then each area as an encapsulated plugin under /v1. */
export async function buildServer(deps: ServerDeps, options: ServerOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const sessions = new ConsoleSessions();
  const guard = securityGuard({
    token: options.token, port: options.port, corsOrigins: options.corsOrigins ?? [], extraHosts: options.extraHosts,
    openPaths: ['/v1/health', ...CONSOLE_OPEN_PATHS], sessions,
  });
  const app = Fastify({
    // fastify types its own pino major; the logger is a pino instance all the same.
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit,
    // Deep or huge JSON is refused before it reaches a schema.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // The router's and the parser's refusals are problem+json too, the router's only after the security checks.
    frameworkErrors: frameworkErrorHandler(guard, MAX_PARAM_LENGTH),
    clientErrorHandler: answerClientError,
    // HTTP/1.1 without Host reaches the Host check (403 problem) instead of Node's bare 400.
    http: { requireHostHeader: false },
    return503OnClosing: true,
    forceCloseConnections: true,
    ...(options.server === undefined ? {} : { serverFactory: () => options.server! }),
  });
  // JSON only (and the upload routes' own parsers): text/plain is what a page of another origin may POST without
  // a CORS preflight, so it is refused 415 rather than read.
  app.removeContentTypeParser('text/plain');
  const context: ApiContext = { ...deps, catalog: new RouteCatalog(), eventStreams: new EventStreamGate(options.maxEventStreams ?? DEFAULT_MAX_EVENT_STREAMS) };
  const registered: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) registered.push({ method, url: route.url });
  });
  installErrorHandling(app, bodyLimit, context.catalog);
  installSecurity(app, guard);
  let queryNames: ReadonlySet<string> = new Set();
  // Callback style, as the security hook: an async hook would cost every GET a promise for nothing.
  app.addHook('onResponse', (request, reply, done) => {
    if (request.method !== 'GET' && request.method !== 'OPTIONS') {
      const operator = request.headers['x-operator'];
      request.log.info({
        method: request.method, url: loggedUrl(request.url, queryNames), status: reply.statusCode,
        operator: typeof operator === 'string' ? operator.slice(0, 200) : undefined,
      }, 'state-changing request');
    }
    done();
  });
  await app.register(consolePlugin, { sessions });
  for (const plugin of [...corePlugins, ...(options.plugins ?? [])]) {
    await app.register(async (scope) => plugin.register(scope, context), { prefix: '/v1' });
  }
  await app.ready();
  queryNames = context.catalog.queryNames();
  // A route registered around defineRoute would have no schema check and no place in /v1/openapi.json.
  const undocumented = registered.filter(({ method, url }) => method !== 'HEAD' && !CONSOLE_PATHS.includes(url) && !context.catalog.has(method, url));
  if (undocumented.length > 0) {
    await app.close();
    throw new GatewayError('INTERNAL', { params: { detail: `routes registered without defineRoute: ${undocumented.map((r) => `${r.method} ${r.url}`).join(', ')}` } });
  }
  return app;
}
