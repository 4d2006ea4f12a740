import { GatewayError } from '../../../contracts/errors/index.js';
import { changeStatement, type ChangeState, type ChangeStatement } from './changeStatement.js';
import { asCause, describeCause } from '../common/describeCause.js';

/** The steps of the real run, as a failure names them. */
export type InitializationStep =
  | 'recheck' | 'GET_REGISTER_NB' | 'REGISTER_SIGN' | 'TERMINAL_REGISTER' | 'GB link 30' | 'read-back';

export { isInDoubt } from '../common/linkFailure.js';

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
