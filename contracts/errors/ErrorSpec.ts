/** Exit codes of fiscalctl (DESIGN.md): 0 done, 1 failed, 2 usage, 3 refused by verification, 4 busy, 5 unreachable. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  refused: 3,
  busy: 4,
  unreachable: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * One stable error code. Messages may hold `{name}` placeholders filled from the error's params.
 * `remedy` is what a technician should do next, in plain words.
 */
export interface ErrorSpec {
  readonly http: number;
  readonly exit: ExitCode;
  readonly zh: string;
  readonly en: string;
  readonly remedyZh?: string;
  readonly remedyEn?: string;
}

export type ErrorTable = Record<string, ErrorSpec>;
