import { errorSpec, type ErrorCode } from './catalog.js';

export type ErrorParams = Record<string, string | number>;
export type Language = 'zh-CN' | 'en';

export interface GatewayErrorOptions {
  /** Values for the `{name}` placeholders of the messages. */
  params?: ErrorParams;
  /** Machine-readable facts for the API's problem body (never a PIN, key or token). */
  data?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * Fills `{name}` from the params; in Chinese a param `nameZh`, when given, fills `{name}` instead (a reason a
 * service words in each language, so the zh message holds no English and both templates keep the same placeholders).
 */
function fill(template: string, params: ErrorParams, language: Language = 'en'): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const own = language === 'zh-CN' ? params[`${name}Zh`] : undefined;
    return own !== undefined ? visible(String(own)) : name in params ? visible(String(params[name])) : whole;
  });
}

/**
 * A value a client sent (a job id such as `%00`) is shown, never obeyed: control characters become `\u0000`
 * escapes, so a message cannot carry a terminal escape sequence or split a log line.
 */
function visible(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The one error type the gateway throws on purpose: a stable code, a zh-CN and an en message. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly data: Record<string, unknown>;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    const params = options.params ?? {};
    super(fill(errorSpec(code).en, params), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.params = params;
    this.data = options.data ?? {};
  }

  get spec() {
    return errorSpec(this.code);
  }

  localized(language: Language): string {
    return fill(language === 'zh-CN' ? this.spec.zh : this.spec.en, this.params, language);
  }

  remedy(language: Language): string | undefined {
    const text = language === 'zh-CN' ? this.spec.remedyZh : this.spec.remedyEn;
    return text === undefined ? undefined : fill(text, this.params, language);
  }
}

export function isGatewayError(value: unknown, code?: ErrorCode): value is GatewayError {
  return value instanceof GatewayError && (code === undefined || value.code === code);
}
