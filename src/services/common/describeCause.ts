import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';

export interface CauseDescription {
  readonly code: string;
  readonly message: { readonly 'zh-CN': string; readonly en: string };
  readonly remedy?: { readonly 'zh-CN': string; readonly en: string };
  /** The register's raw ER byte, when the cause was an ER answer. */
  readonly erCode?: unknown;
}

/** Any thrown value as the GatewayError it stands for: an unexpected one becomes INTERNAL. */
export function asCause(cause: unknown): GatewayError {
  return isGatewayError(cause)
    ? cause
    : new GatewayError('INTERNAL', { params: { detail: cause instanceof Error ? cause.message : String(cause) } });
}

/** The card or register error behind a failed step, for people: both languages, its remedy, the ER byte. */
export function describeCause(error: GatewayError): CauseDescription {
  const remedyZh = error.remedy('zh-CN');
  const remedyEn = error.remedy('en');
  return {
    code: error.code,
    message: { 'zh-CN': error.localized('zh-CN'), en: error.localized('en') },
    ...(remedyZh === undefined || remedyEn === undefined ? {} : { remedy: { 'zh-CN': remedyZh, en: remedyEn } }),
    ...(error.data.erCode === undefined ? {} : { erCode: error.data.erCode }),
  };
}
