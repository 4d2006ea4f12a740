import { readJobEvents } from '../../e2e/sse.js';
import type { CampaignDaemon } from './campaignDevice.js';
import type { KillPlan, MeasuredRun } from './killPlan.js';

export interface KillLanding {
  /** The job's last stage the event stream showed before the kill (`started` before any). */
  readonly lastStage: string;
  /** The job had already ended when the kill came (the plan's moment fell after it). */
  readonly afterEnd: boolean;
  /** The plan's anchor never came (the job ended before it): killed at the end instead. */
  readonly anchorMissed: boolean;
  /** Wall-clock time of the kill, ms since the epoch. */
  readonly killedAt: number;
}

/**
 * Follows the job's event stream and SIGKILLs the daemon `plan.delayMs` after the job signalled
 * `plan.anchor` (timed from the event's own timestamp, so replayed events do not shift it).
 */
export async function killDuringJob(daemon: CampaignDaemon, jobId: string, plan: KillPlan): Promise<KillLanding> {
  let lastStage = 'started';
  let ended = false;
  let anchorSeen = false;
  let timer: NodeJS.Timeout | undefined;
  let landing: KillLanding | undefined;
  let killing: Promise<void> | undefined;
  let killed!: () => void;
  const killedNow = new Promise<void>((resolve) => { killed = resolve; });
  const kill = () => {
    if (killing !== undefined) return;
    clearTimeout(timer);
    landing = { lastStage, afterEnd: ended, anchorMissed: !anchorSeen, killedAt: Date.now() };
    killing = daemon.kill9();
    killed();
  };
  await readJobEvents(`${daemon.url}/v1/jobs/${jobId}/events`, daemon.token, (event) => {
    if (event.event === 'stage' && typeof event.data.stage === 'string') lastStage = event.data.stage;
    if (event.event === 'end') ended = true;
    const matches = (plan.anchor === 'started' && event.event === 'started') || (event.event === 'stage' && event.data.stage === plan.anchor);
    if (matches && !anchorSeen) {
      anchorSeen = true;
      const at = typeof event.data.at === 'string' ? Date.parse(event.data.at) : Date.now();
      timer = setTimeout(kill, Math.max(0, at + plan.delayMs - Date.now()));
    }
  });
  // The stream ends with the job (or with the kill): a timer still pending fires at its moment.
  if (!anchorSeen) kill();
  await killedNow;
  await killing;
  return landing!;
}

/** Runs a job to its end without a kill and notes when each of its signals came. */
export async function measureJob(daemon: CampaignDaemon, jobId: string): Promise<MeasuredRun & { readonly state: string }> {
  const signals: { anchor: string; atMs: number }[] = [];
  let startedAt: number | undefined;
  let state = 'unknown';
  let endAt: number | undefined;
  await readJobEvents(`${daemon.url}/v1/jobs/${jobId}/events`, daemon.token, (event) => {
    const at = typeof event.data.at === 'string' ? Date.parse(event.data.at) : Date.now();
    if (event.event === 'started') startedAt = at;
    if (event.event === 'stage' && typeof event.data.stage === 'string') signals.push({ anchor: event.data.stage, atMs: at });
    if (event.event === 'end') {
      state = String(event.data.state);
      endAt = Date.now();
    }
  });
  const origin = startedAt ?? signals[0]?.atMs ?? Date.now();
  return { state, durationMs: Math.max(1, (endAt ?? Date.now()) - origin), signals: signals.map((s) => ({ anchor: s.anchor, atMs: s.atMs - origin })) };
}
