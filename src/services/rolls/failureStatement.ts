import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';

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
  const error = isGatewayError(cause)
    ? cause
    : new GatewayError('INTERNAL', { params: { detail: cause instanceof Error ? cause.message : String(cause) } });
  const remedyEn = error.remedy('en');
  return new GatewayError(code, {
    params: { step, cause: error.code },
    data: {
      step,
      cause: {
        code: error.code,
        message: { 'zh-CN': error.localized('zh-CN'), en: error.localized('en') },
        ...(remedyEn === undefined ? {} : { remedy: { 'zh-CN': error.remedy('zh-CN'), en: remedyEn } }),
        ...(error.data.erCode === undefined ? {} : { erCode: error.data.erCode }),
      },
      changed,
      ...extra,
    },
    cause: error,
  });
}
