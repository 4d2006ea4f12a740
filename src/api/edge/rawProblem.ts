import { STATUS_CODES } from 'node:http';
import type { GatewayError } from '../../../contracts/errors/index.js';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../problem.js';

/**
 * A whole HTTP/1.1 response carrying `error` as problem+json (English title, both languages in `messages`),
 * closing the connection: for the places that answer on the bare socket or before fastify has the request
 * (parser errors, the connection cap, a daemon still starting or stopping).
 */
export function rawProblemResponse(error: GatewayError, retryAfterSeconds?: number): string {
  const body = JSON.stringify(problemBody(error, 'en'));
  const status = error.spec.http;
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    'Content-Language: en',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(retryAfterSeconds === undefined ? [] : [`Retry-After: ${retryAfterSeconds}`]),
    'Connection: close',
    '', body,
  ].join('\r\n');
}

/** The same answer through a ServerResponse (a request Node has parsed but fastify does not handle). */
export function problemHeaders(error: GatewayError, retryAfterSeconds?: number): { status: number; headers: Record<string, string>; body: string } {
  const body = JSON.stringify(problemBody(error, 'en'));
  return {
    status: error.spec.http,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE, 'content-language': 'en', 'content-length': String(Buffer.byteLength(body)), connection: 'close',
      ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
    },
    body,
  };
}
