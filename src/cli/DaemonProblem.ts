import { ExitCode, errorCatalog, type ErrorCode } from '../../contracts/errors/index.js';

/** An error answer of the daemon (application/problem+json), kept whole so --json can print it as is. */
export class DaemonProblem extends Error {
  constructor(readonly status: number, readonly body: Record<string, unknown>) {
    super(typeof body.title === 'string' ? body.title : `HTTP ${status}`);
    this.name = 'DaemonProblem';
  }

  get code(): string {
    return typeof this.body.code === 'string' ? this.body.code : 'INTERNAL';
  }

  /** The catalogue's exit code for a known code; otherwise judged from the HTTP status. */
  get exitCode(): ExitCode {
    const spec = (errorCatalog as Record<string, { exit: ExitCode }>)[this.code];
    if (spec) return spec.exit;
    if (this.status === 409) return ExitCode.busy;
    if (this.status === 503 || this.status === 504) return ExitCode.unreachable;
    return ExitCode.failed;
  }
}

export function isKnownCode(code: string): code is ErrorCode {
  return code in errorCatalog;
}
