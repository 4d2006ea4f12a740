import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../../contracts/errors/index.js';
import { duplicatedHeader } from '../edge/duplicateHeaders.js';
import { sendProblem } from '../errorHandling.js';
import { CSRF_HEADER, type ConsoleSessions } from './consoleSessions.js';
import { isAllowedHost, ownOrigins } from './loopbackHosts.js';
import { tokenMatcher } from './tokenMatches.js';

export interface SecurityOptions {
  readonly token: string;
  /** The port clients must name in Host; a function because it is known only once listening (port 0). */
  readonly port: () => number;
  readonly corsOrigins: readonly string[];
  /** Extra Host names accepted (only meaningful with an explicit remote listen address). */
  readonly extraHosts?: readonly string[];
  /** Paths reachable without a token. */
  readonly openPaths?: readonly string[];
  /** Web-console sessions: a request may authenticate by their cookie instead of the bearer token. */
  readonly sessions?: ConsoleSessions;
}

const allowHeaders = 'Authorization, Content-Type, Accept-Language, Idempotency-Key, X-Operator, Last-Event-ID, X-CSRF-Token';
const allowMethods = 'GET, POST, PUT, DELETE, OPTIONS';

/** Answers a request the edge refuses (and returns the reply), or undefined to let it through. */
export type SecurityGuard = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

/**
 * The checks every request passes, in order: each security header at most once, Host (DNS rebinding), a target
 * that is a path (not a proxy's absolute URI or `*`), CORS
 * (only configured origins, preflight answered here), then the bearer token or the console session. Run by
 * the root onRequest hook (so they also guard 404 and 405) and by the router's own errors (a bad percent-encoding,
 * an over-long id), so no routing error is revealed to a request that would have been refused.
 */
export function securityGuard(options: SecurityOptions): SecurityGuard {
  const openPaths = new Set(options.openPaths ?? ['/v1/health']);
  const isToken = tokenMatcher(options.token);
  // The Host check is a pure function of the header and the port: the last value it accepted (nearly every
  // request of a client sends the same) is remembered, so the parse runs once per distinct Host.
  let acceptedHost: string | undefined;
  let acceptedPort = -1;
  return (request, reply) => {
    const duplicate = duplicatedHeader(request.raw.rawHeaders);
    if (duplicate !== undefined) return sendProblem(request, reply, new GatewayError('DUPLICATE_HEADER', { params: { header: duplicate } }));

    const port = options.port();
    const host = request.headers.host;
    if (host === undefined || host !== acceptedHost || port !== acceptedPort) {
      if (!isAllowedHost(host, port, options.extraHosts)) {
        return sendProblem(request, reply, new GatewayError('FORBIDDEN_HOST', { params: { host: String(host ?? '(none)').slice(0, 100) } }));
      }
      acceptedHost = host;
      acceptedPort = port;
    }

    // Origin-form only: an absolute URI (proxy form) would name another authority than the Host just checked,
    // and `*` is served by the router as `/`.
    if (!request.url.startsWith('/')) return sendProblem(request, reply, new GatewayError('REQUEST_TARGET_UNSUPPORTED'));

    const origin = request.headers.origin;
    if (origin !== undefined) {
      const allowed = options.corsOrigins.includes(origin) || ownOrigins(port).includes(origin);
      if (!allowed) return sendProblem(request, reply, new GatewayError('FORBIDDEN_ORIGIN', { params: { origin: origin.slice(0, 200) } }));
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin')
        .header('access-control-expose-headers', 'Location, Content-Language, Retry-After');
      if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
        return reply.code(204).header('access-control-allow-methods', allowMethods)
          .header('access-control-allow-headers', allowHeaders).header('access-control-max-age', '600').send();
      }
    }

    const query = request.url.indexOf('?');
    const path = query === -1 ? request.url : request.url.slice(0, query);
    if (openPaths.has(path)) return undefined;
    const authorization = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match && isToken(match[1]!)) return undefined;
    // The console's cookie: a state-changing request must also carry the session's CSRF token, which only a
    // page of our own origin can have read (SameSite does not tell two ports of 127.0.0.1 apart).
    const session = match ? undefined : options.sessions?.fromCookieHeader(request.headers.cookie);
    if (session === undefined) return sendProblem(request, reply, new GatewayError('UNAUTHORIZED'));
    const safe = request.method === 'GET' || request.method === 'HEAD';
    if (!safe && !options.sessions!.csrfMatches(session, request.headers[CSRF_HEADER])) {
      return sendProblem(request, reply, new GatewayError('CSRF_TOKEN_INVALID'));
    }
    return undefined;
  };
}

/** The guard as the root onRequest hook. */
export function installSecurity(app: FastifyInstance, guard: SecurityGuard): void {
  // Callback style: an async hook costs every request a promise and a microtask turn. A refused request is
  // answered by the guard and goes no further (done is not called).
  app.addHook('onRequest', (request, reply, done) => {
    if (guard(request, reply) === undefined) done();
  });
}
