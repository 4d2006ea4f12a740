import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../../contracts/errors/index.js';
import type { IdempotencyClaim } from '../jobs/types.js';
import { operatorOf } from './operator.js';

/** JSON with object keys sorted, so that the same body hashes the same however its keys were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The request's path in one canonical form: the route's pattern with each parameter as the router decoded it,
 * encoded again the one way encodeURIComponent does. `/v1/devices/%34403…/diagnostics` and `/v1/devices/4403…/diagnostics`
 * name the same register, so they are one scope.
 */
export function canonicalPath(request: FastifyRequest): string {
  const pattern = request.routeOptions.url ?? request.url.split('?')[0]!;
  const params = (request.params ?? {}) as Record<string, unknown>;
  return pattern.replace(/:(\w+)/g, (whole, name: string) => (typeof params[name] === 'string' ? encodeURIComponent(params[name]) : whole));
}

/**
 * The `Idempotency-Key` claim of a POST, scoped to its method and canonical path; undefined without the header.
 * The hash binds the key to the body and to the operator (X-Operator): the same key from another operator is
 * refused (422), never answered with the first operator's job.
 */
export function idempotencyClaim(request: FastifyRequest, body: unknown): IdempotencyClaim | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw new GatewayError('VALIDATION_FAILED', { params: { detail: 'Idempotency-Key must be 1 to 128 visible ASCII characters' } });
  }
  return {
    scope: `${request.method} ${canonicalPath(request)}`,
    key,
    bodyHash: createHash('sha256').update(canonical({ body, operator: operatorOf(request) ?? null })).digest('hex'),
  };
}
