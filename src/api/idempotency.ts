import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../../contracts/errors/index.js';
import type { IdempotencyClaim } from '../jobs/types.js';

/** JSON with object keys sorted, so that the same body hashes the same however its keys were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The `Idempotency-Key` claim of a POST, scoped to its method and path; undefined without the header. */
export function idempotencyClaim(request: FastifyRequest, body: unknown): IdempotencyClaim | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw new GatewayError('VALIDATION_FAILED', { params: { detail: 'Idempotency-Key must be 1 to 128 visible ASCII characters' } });
  }
  return {
    scope: `${request.method} ${request.url.split('?')[0]}`,
    key,
    bodyHash: createHash('sha256').update(canonical(body)).digest('hex'),
  };
}
