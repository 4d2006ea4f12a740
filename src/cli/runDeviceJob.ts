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
 * Prints how a finished job ended (what runDeviceJob and `watch` of a finished job both show): `{ job, <resultKey> }`
 * with --json; the result through `view` when it succeeded; else how it ended, with what the failed run changed
 * (`data.changed`) and the fiscal PIN tries left. Returns the job's exit code.
 */
export function showFinishedJob<T>(ctx: CliContext, job: JobView, view: Pick<DeviceJobCommand<T>, 'resultKey' | 'show'> | undefined): ExitCode {
  const result = job.result as T | null;
  if (ctx.json) {
    ctx.printJson({ job, [view?.resultKey ?? 'result']: result });
    return jobExitCode(job);
  }
  if (job.state !== 'succeeded' || result === null || view === undefined) {
    ctx.print(describeEnd(job, ctx.language));
    // What a failed run changed decides what to do next (never distribute again over a roll in doubt, say).
    const data = (job.error as { data?: { changed?: { 'zh-CN': string; en: string }; triesLeft?: number | null } } | null)?.data;
    if (typeof data?.triesLeft === 'number') ctx.print(`  ${ctx.language === 'zh-CN' ? '税控卡口令剩余次数' : 'Fiscal card PIN tries left'}: ${data.triesLeft}\n`);
    if (data?.changed) ctx.print(`  ${data.changed[ctx.language]}\n`);
    return jobExitCode(job);
  }
  ctx.print(view.show(result, ctx));
  return ExitCode.ok;
}

/**
 * What every fiscalctl command that runs a job on a register does: start it (with a fresh Idempotency-Key, so
 * a retried request never starts a second job), follow it with a progress bar, then print the result: JSON
 * `{ job, <resultKey> }` with --json, else the command's own view, or how the job ended with what the failed run
 * changed (`data.changed`) and the fiscal PIN tries left. Exit code per jobExitCode.
 */
export async function runDeviceJob<T>(ctx: CliContext, command: DeviceJobCommand<T>): Promise<ExitCode> {
  return showFinishedJob(ctx, await followDeviceJob(ctx, command), command);
}

/** Starts the job (a fresh Idempotency-Key) and follows it to its end; prints nothing but the job line and progress. */
export async function followDeviceJob<T>(ctx: CliContext, command: Pick<DeviceJobCommand<T>, 'path' | 'body' | 'label'>): Promise<JobView> {
  const started = await ctx.client.post<{ job: JobView }>(command.path, command.body, { 'idempotency-key': randomUUID() });
  if (!ctx.json) ctx.io.stderr.write(`${command.label[ctx.language]} ${started.job.id}\n`);
  return watchJob(ctx, started.job.id);
}
