import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { changeStatement, type ChangeState, type ChangeStatement } from './changeStatement.js';
import { asCause, describeCause } from '../common/describeCause.js';

/** The steps of the real run, as a failure names them. */
export type InitializationStep =
  | 'recheck' | 'GET_REGISTER_NB' | 'REGISTER_SIGN' | 'TERMINAL_REGISTER' | 'GB link 30' | 'read-back';

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

/**
 * INIT_STEP_FAILED for people: the exact step, the card or register error it came from in both
 * languages (with its own remedy), and what was and was not changed.
 */
export function stepFailure(
  step: InitializationStep, cause: unknown, changed: ChangeState | ChangeStatement, extra: Record<string, unknown> = {},
): GatewayError {
  const error = asCause(cause);
  return new GatewayError('INIT_STEP_FAILED', {
    params: { step, cause: error.code },
    data: { step, cause: describeCause(error), changed: typeof changed === 'string' ? changeStatement(changed) : changed, ...extra },
    cause: error,
  });
}
