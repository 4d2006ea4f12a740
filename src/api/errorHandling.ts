import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../contracts/errors/index.js';
import { asGatewayError } from '../jobs/storedError.js';
import { languageFrom, PROBLEM_CONTENT_TYPE, problemBody } from './problem.js';
import type { RouteCatalog } from './RouteCatalog.js';
import type { SecurityGuard } from './security/installSecurity.js';

/** What fastify's own 4xx errors (body parsing, limits) mean in the gateway's catalogue. */
function fromFastify(error: FastifyError, bodyLimit: number): GatewayError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('PAYLOAD_TOO_LARGE', { params: { limit: bodyLimit } });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('UNSUPPORTED_MEDIA_TYPE', { params: { contentType: 'of this request' } });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new GatewayError('MALFORMED_JSON', { params: { detail: error.message } });
    default:
      break;
  }
  if (error instanceof SyntaxError) return new GatewayError('MALFORMED_JSON', { params: { detail: error.message } });
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new GatewayError('BAD_REQUEST', { params: { detail: error.message } });
  return undefined;
}

/** The longest request path a problem repeats as its `instance` (and a 404 or 405 in its message). */
const ECHOED_PATH_MAX = 200;

/** The request's path as a problem names it: without the query (which may hold anything), at most 200 characters. */
export function echoedPath(url: string): string {
  const path = url.split('?')[0]!;
  return path.length > ECHOED_PATH_MAX ? `${path.slice(0, ECHOED_PATH_MAX)}…` : path;
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: GatewayError): FastifyReply {
  const language = languageFrom(request.headers['accept-language']);
  if (error.code === 'UNAUTHORIZED') reply.header('www-authenticate', 'Bearer realm="fiscald"');
  const retryAfter = error.params.retryAfter;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply.code(error.spec.http).type(PROBLEM_CONTENT_TYPE).header('content-language', language)
    .send(problemBody(error, language, echoedPath(request.url)));
}

/**
 * fastify's `frameworkErrors`: the router's own refusals (a path whose percent-encoding does not decode, an id
 * over `maxParamLength`) reach no hook, so the security guard runs here first; only a request it lets
 * through learns what was wrong with its path.
 */
export function frameworkErrorHandler(guard: SecurityGuard, maxParamLength: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const refused = guard(request, reply);
    if (refused !== undefined) return refused;
    switch (error.code) {
      case 'FST_ERR_BAD_URL':
        return sendProblem(request, reply, new GatewayError('URL_INVALID'));
      case 'FST_ERR_MAX_PARAM_LENGTH':
        return sendProblem(request, reply, new GatewayError('PATH_PARAMETER_TOO_LONG', { params: { limit: maxParamLength } }));
      default:
        return sendProblem(request, reply, new GatewayError('BAD_REQUEST', { params: { detail: error.code ?? 'unroutable request' } }));
    }
  };
}

/**
 * Every error leaves as application/problem+json; only a real fault is a 5xx, and it is logged. A path that
 * exists with other methods is 405 with `Allow`, any other is 404.
 */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number, catalog: RouteCatalog): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const limit = request.routeOptions.bodyLimit ?? bodyLimit;
    const gateway = error instanceof GatewayError ? error : fromFastify(error, limit) ?? asGatewayError(error);
    if (gateway.spec.http >= 500) request.log.error({ err: error, code: gateway.code }, 'request failed');
    return sendProblem(request, reply, gateway);
  });
  app.setNotFoundHandler((request, reply) => {
    const url = echoedPath(request.url);
    const allowed = catalog.methodsFor(request.url.split('?')[0]!);
    if (allowed.length === 0) return sendProblem(request, reply, new GatewayError('ROUTE_NOT_FOUND', { params: { method: request.method, url } }));
    reply.header('allow', allowed.join(', '));
    return sendProblem(request, reply, new GatewayError('METHOD_NOT_ALLOWED', { params: { method: request.method, url, allowed: allowed.join(', ') } }));
  });
}
