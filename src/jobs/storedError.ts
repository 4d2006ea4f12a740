import { GatewayError } from '../../contracts/errors/index.js';
import type { StoredError } from '../store/types.js';

/** Any thrown value as the GatewayError it stands for: unexpected ones become INTERNAL. */
export function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new GatewayError('INTERNAL', { params: { detail }, cause: error });
}

export function toStoredError(error: unknown): StoredError {
  const gateway = asGatewayError(error);
  return {
    code: gateway.code, params: gateway.params, data: gateway.data,
    message: gateway.localized('en'), messageZh: gateway.localized('zh-CN'),
  };
}
