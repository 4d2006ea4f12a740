import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../contracts/errors/index.js';
import { asGatewayError } from '../jobs/storedError.js';
import { languageFrom, PROBLEM_CONTENT_TYPE, problemBody } from './problem.js';
import type { RouteCatalog } from './RouteCatalog.js';

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

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: GatewayError): FastifyReply {
  const language = languageFrom(request.headers['accept-language']);
  if (error.code === 'UNAUTHORIZED') reply.header('www-authenticate', 'Bearer realm="fiscald"');
  return reply.code(error.spec.http).type(PROBLEM_CONTENT_TYPE).header('content-language', language)
    .send(problemBody(error, language, request.url));
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
    const url = request.url.split('?')[0]!;
    const allowed = catalog.methodsFor(url);
    if (allowed.length === 0) return sendProblem(request, reply, new GatewayError('ROUTE_NOT_FOUND', { params: { method: request.method, url } }));
    reply.header('allow', allowed.join(', '));
    return sendProblem(request, reply, new GatewayError('METHOD_NOT_ALLOWED', { params: { method: request.method, url, allowed: allowed.join(', ') } }));
  });
}
