import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../../contracts/errors/index.js';

/**
 * The operator named by `X-Operator`. Header values are Latin-1 on the wire, so a name such as 王工 is
 * sent percent-encoded (`encodeURIComponent`); both forms are accepted.
 */
export function operatorOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['x-operator'];
  if (typeof raw !== 'string') return undefined;
  let name: string;
  try {
    name = decodeURIComponent(raw).trim();
  } catch {
    name = raw.trim();
  }
  if (name === '') return undefined;
   
  if (name.length > 64 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new GatewayError('VALIDATION_FAILED', { params: { detail: 'X-Operator must be a name of at most 64 characters' } });
  }
  return name;
}

export function requireOperator(request: FastifyRequest): string {
  const operator = operatorOf(request);
  if (operator === undefined) throw new GatewayError('OPERATOR_REQUIRED');
  return operator;
}
