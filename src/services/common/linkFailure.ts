import { isGatewayError } from '../../../contracts/errors/index.js';

/** Errors of the register link itself: no check can be made without the register, so they end a dry run or a read. */
export function isLinkFailure(error: unknown): boolean {
  if (!isGatewayError(error)) return true;
  return ['LINK_TIMEOUT', 'LINK_CLOSED', 'LINK_IN_DOUBT', 'LINK_FRAME_INVALID', 'LINK_DEVICE_BUSY', 'LINK_POWER_FAILURE'].includes(error.code)
    || error.code.startsWith('TRANSPORT_');
}

/**
 * Errors after which nobody knows whether the command reached its target: the register link or the
 * card contact went away mid-exchange. Anything else (an SW or ER answer) is a definite refusal.
 */
export function isInDoubt(error: unknown): boolean {
  if (!isGatewayError(error)) return true;
  const code = error.code;
  return code === 'LINK_TIMEOUT' || code === 'LINK_IN_DOUBT' || code === 'LINK_CLOSED' || code === 'LINK_FRAME_INVALID'
    || code === 'LINK_DEVICE_BUSY' || code === 'LINK_POWER_FAILURE' || code.startsWith('TRANSPORT_')
    || code === 'CARD_REMOVED' || code === 'CARD_TRANSMIT_FAILED' || code === 'CARD_TRANSACTION_FAILED' || code === 'CARD_DISCONNECTED'
    || code === 'CARD_UNRESPONSIVE' || code === 'CARD_RESPONSE_MALFORMED' || code === 'CARD_XOR_MISMATCH' || code === 'READER_GONE'
    || code === 'PCSC_FAILED' || code === 'TIMEOUT' || code === 'INTERNAL';
}
