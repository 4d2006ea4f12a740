import { randomUUID } from 'node:crypto';
import { ExitCode } from '../../contracts/errors/index.js';
import type { CliContext } from './CliContext.js';
import type { JobView } from './types.js';
import { describeEnd, jobExitCode, watchJob } from './watchJob.js';

export interface DeviceJobCommand<T> {
  /** The POST that starts the job (`/v1/devices/ID/backups`). */
  readonly path: string;
  readonly body?: unknown;
  /** What the job is, for the "… job ID" line on stderr. */
  readonly label: { readonly 'zh-CN': string; readonly en: string };
  /** Name of the result in the `--json` document (`{ job, <resultKey>: result }`). */
  readonly resultKey: string;
  /** The result of a job that succeeded, for people. */
  show(result: T, ctx: CliContext): string;
}

/**
 * What every fiscalctl command that runs a job on a register does: start it (with a fresh Idempotency-Key, so
 * a retried request never starts a second job), follow it with a progress bar, then print the result: JSON
 * `{ job, <resultKey> }` with --json, else the command's own view, or how the job ended. Exit code per jobExitCode.
 */
export async function runDeviceJob<T>(ctx: CliContext, command: DeviceJobCommand<T>): Promise<ExitCode> {
  const started = await ctx.client.post<{ job: JobView }>(command.path, command.body, { 'idempotency-key': randomUUID() });
  if (!ctx.json) ctx.io.stderr.write(`${command.label[ctx.language]} ${started.job.id}\n`);
  const job = await watchJob(ctx, started.job.id);
  const result = job.result as T | null;
  if (ctx.json) {
    ctx.printJson({ job, [command.resultKey]: result });
    return jobExitCode(job);
  }
  if (job.state !== 'succeeded' || result === null) {
    ctx.print(describeEnd(job, ctx.language));
    return jobExitCode(job);
  }
  ctx.print(command.show(result, ctx));
  return ExitCode.ok;
}
