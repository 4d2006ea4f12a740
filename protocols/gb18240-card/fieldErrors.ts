import { GatewayError } from '../../contracts/errors/index.js';

/** A value the host was about to write does not fit its card field: CARD_VALUE_INVALID naming the field. */
export function invalidValue(field: string, detail: string): GatewayError {
  return new GatewayError('CARD_VALUE_INVALID', { params: { field, detail } });
}

/** Bytes from the card do not follow their layout: CARD_RESPONSE_MALFORMED. */
export function malformedResponse(detail: string): GatewayError {
  return new GatewayError('CARD_RESPONSE_MALFORMED', { params: { detail } });
}
