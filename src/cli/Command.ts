import type { ParseArgsConfig } from 'node:util';
import type { ExitCode } from '../../contracts/errors/index.js';
import type { CliContext } from './CliContext.js';

/**
 * One fiscalctl command. Later issues (init, backup, upgrade…) add theirs to `commandTable` the same way:
 * options in `node:util` parseArgs form, positionals by name, a `run` that returns the exit code.
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** e.g. `info ID`. */
  readonly usage: string;
  readonly positionals: readonly { readonly name: string; readonly required: boolean }[];
  readonly options?: NonNullable<ParseArgsConfig['options']>;
  /** Extra lines for `fiscalctl CMD --help`. */
  readonly help?: string;
  /** The summary and help in Chinese, for `--lang zh` (the English ones otherwise). */
  readonly summaryZh?: string;
  readonly helpZh?: string;
  /** For a command that runs a job: the job kind and how its result reads, so `watch` can reprint a finished one. */
  readonly jobView?: JobResultView<never>;
  run(ctx: CliContext): Promise<ExitCode>;
}

/** How a job kind's result reads for people, and its name in the `--json` document (`{ job, <resultKey> }`). */
export interface JobResultView<T> {
  readonly kind: string;
  readonly resultKey: string;
  show(result: T, ctx: CliContext): string;
}
