import { isGatewayError } from '../../../contracts/errors/index.js';

/** Errors of the register link itself: no check can be made without the register, so they end a dry run or a read. */
export function isLinkFailure(error: unknown): boolean {
  if (!isGatewayError(error)) return true;
  return ['LINK_TIMEOUT', 'LINK_CLOSED', 'LINK_IN_DOUBT', 'LINK_FRAME_INVALID', 'LINK_DEVICE_BUSY', 'LINK_POWER_FAILURE'].includes(error.code)
    || error.code.startsWith('TRANSPORT_');
}
