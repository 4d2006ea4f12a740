import { GatewayError } from '../../../contracts/errors/index.js';
import { asCause, describeCause } from './describeCause.js';

/** What a failed step of a change, roll distribution or deregistration did and did not change, in both languages. */
export interface ChangeStatement {
  readonly 'zh-CN': string;
  readonly en: string;
}

type StepFailureCode = 'CHANGE_STEP_FAILED' | 'DEREG_STEP_FAILED' | 'ROLL_STEP_FAILED';

/**
 * One failed step for people: the step, the card or register error it came from (both languages, its
 * remedy, the raw ER byte), the tries left on the fiscal card when known, and the change statement.
 */
export function stepFailure(
  code: StepFailureCode, step: string, cause: unknown, changed: ChangeStatement, extra: Record<string, unknown> = {},
): GatewayError {
  const error = asCause(cause);
  return new GatewayError(code, { params: { step, cause: error.code }, data: { step, cause: describeCause(error), changed, ...extra }, cause: error });
}
