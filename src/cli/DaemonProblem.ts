import { ExitCode } from '../../contracts/errors/index.js';
import { exitCodeOf } from './exitCodeOf.js';

/** An error answer of the daemon (application/problem+json), kept whole so --json can print it as is. */
export class DaemonProblem extends Error {
  constructor(readonly status: number, readonly body: Record<string, unknown>) {
    super(typeof body.title === 'string' ? body.title : `HTTP ${status}`);
    this.name = 'DaemonProblem';
  }

  get code(): string {
    return typeof this.body.code === 'string' ? this.body.code : 'INTERNAL';
  }

  /**
   * The catalogue's exit code for a known code. An unknown one (a newer fiscald) or none (fastify's own 503 while
   * the daemon closes, a proxy) is judged from the status: 503/504 cannot be reached, anything else failed (a 409
   * is as often a refusal as a busy device).
   */
  get exitCode(): ExitCode {
    const code = typeof this.body.code === 'string' ? this.body.code : undefined;
    return exitCodeOf(code, this.status === 503 || this.status === 504 ? ExitCode.unreachable : ExitCode.failed);
  }
}
