import { ExitCode, isGatewayError } from '../../contracts/errors/index.js';
import { progressDetail } from '../api/progressDetails.js';
import type { CliContext } from './CliContext.js';
import { cliText } from './cliText.js';
import { JobLeftRunning } from './JobLeftRunning.js';
import { exitCodeOf } from './exitCodeOf.js';
import { stateLabel } from './output/stateLabels.js';
import { ProgressView } from './output/ProgressView.js';
import { stageLabel } from './output/stageLabels.js';
import type { JobView } from './types.js';

const MAX_RECONNECTS = 5;

/** The exit code a finished job stands for: 0 done, else its error's catalogue exit code (1 when unknown). */
export function jobExitCode(job: JobView): ExitCode {
  return job.state === 'succeeded' ? ExitCode.ok : exitCodeOf(job.error?.code);
}

/**
 * Ctrl-C while following: on a terminal, ask whether to cancel the job (then follow it to its end) or leave it
 * running; elsewhere leave it running. Leaving throws JobLeftRunning (runCli: exit 130 and how to find it again).
 */
async function onInterrupt(ctx: CliContext, jobId: string, view: ProgressView): Promise<'follow'> {
  view.finish();
  const answer = ctx.io.ask ? (await ctx.io.ask(cliText(ctx.language, 'interruptTty', { id: jobId }))).trim().toLowerCase() : '';
  if (!['c', 'cancel', '取消'].includes(answer)) throw new JobLeftRunning(jobId);
  await ctx.client.post(`/v1/jobs/${encodeURIComponent(jobId)}/cancel`);
  ctx.io.stderr.write(`${cliText(ctx.language, 'cancelAsked', { id: jobId })}\n`);
  return 'follow';
}

/**
 * Follows a job's events until its end, showing progress on stderr (stdout stays for the result),
 * reconnecting with Last-Event-ID if the stream breaks; returns the finished job. Ctrl-C: see onInterrupt.
 */
export async function watchJob(ctx: CliContext, jobId: string): Promise<JobView> {
  let view = new ProgressView(ctx.io.stderr, ctx.io.stderr.isTTY === true, 30, ctx.language);
  let lastId: string | undefined;
  let ended = false;
  let lastStage: string | null = null;
  let interrupt = new AbortController();
  const stopListening = ctx.io.onInterrupt?.(() => interrupt.abort());
  try {
    for (let attempt = 0; !ended; attempt += 1) {
      try {
        await followOnce();
      } catch (error) {
        if (interrupt.signal.aborted) {
          await onInterrupt(ctx, jobId, view);
          interrupt = new AbortController();
          view = new ProgressView(ctx.io.stderr, ctx.io.stderr.isTTY === true, 30, ctx.language);
          attempt -= 1;
          continue;
        }
        if (!isGatewayError(error, 'DAEMON_UNREACHABLE') || attempt >= MAX_RECONNECTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
      }
      if (!ended && attempt >= MAX_RECONNECTS) break;
    }
  } finally {
    stopListening?.();
  }
  if (!ctx.json) view.finish();
  return ctx.client.get<JobView>(`/v1/jobs/${encodeURIComponent(jobId)}`);

  function followOnce(): Promise<void> {
    return ctx.client.stream(`/v1/jobs/${encodeURIComponent(jobId)}/events`, lastId, (message) => {
        if (message.id) lastId = message.id;
        const data = JSON.parse(message.data) as Record<string, unknown>;
        if (message.event === 'stage') lastStage = (data.stage as string | undefined) ?? lastStage;
        if (message.event === 'progress' && !ctx.json) {
          view.update({
            fraction: Number(data.fraction ?? 0), stage: stageLabel((data.stage as string | null) ?? null, ctx.language),
            etaSeconds: (data.etaSeconds as number | null) ?? null, detail: progressDetail(data.detail as string | undefined, ctx.language) ?? undefined,
          });
        }
        if ((message.event === 'waiting' || message.event === 'running' || message.event === 'resumed') && !ctx.json) {
          view.note(waitLine(message.event, data, ctx.language));
        }
        if (message.event === 'end') {
          ended = true;
          if (!ctx.json && data.state === 'succeeded') view.update({ fraction: 1, stage: stageLabel(lastStage, ctx.language), etaSeconds: 0 });
        }
    }, interrupt.signal);
  }
}

/** The job waits (for a device, a card, a technician: its reason in the chosen language) or goes on again. */
export function waitLine(event: 'waiting' | 'running' | 'resumed', data: Record<string, unknown>, language: 'zh-CN' | 'en'): string {
  const zh = language === 'zh-CN';
  if (event === 'running') return zh ? '等待结束，任务继续' : 'No longer waiting: the job goes on';
  if (event === 'resumed') return zh ? '设备已回来，任务从检查点继续' : 'The device is back: the job resumes from its checkpoint';
  const message = (data.message ?? {}) as { 'zh-CN'?: string; en?: string };
  const text = (zh ? message['zh-CN'] : message.en) ?? String(data.code ?? '');
  return zh ? `等待中：${text}` : `Waiting: ${text}`;
}

/** One line saying how a job ended, in the chosen language. */
export function describeEnd(job: JobView, language: 'zh-CN' | 'en'): string {
  const zh = language === 'zh-CN';
  if (job.state === 'succeeded') return zh ? `任务 ${job.id} 已完成\n` : `Job ${job.id} succeeded\n`;
  const message = job.error ? (zh ? job.error.messageZh : job.error.message) : '';
  const state = stateLabel(job.state, language);
  return zh ? `任务 ${job.id} ${state}：${message}（${job.error?.code ?? ''}）\n` : `Job ${job.id} ${state}: ${message} (${job.error?.code ?? ''})\n`;
}
