import { z } from 'zod';
import type { JobRunner } from '../jobs/JobRunner.js';
import type { JobRow } from '../store/types.js';

/** A job as the API shows it: the stored row, live ETA while running, and where to follow it. */
export function jobView(row: JobRow, runner: JobRunner): Record<string, unknown> {
  const live = row.state === 'running' || row.state === 'waiting' ? runner.liveProgress(row.id) : undefined;
  return {
    id: row.id, kind: row.kind, deviceId: row.deviceId, operator: row.operator, state: row.state,
    stage: live?.stage ?? row.stage, stages: row.stages, fraction: live?.fraction ?? row.fraction,
    etaSeconds: live?.etaSeconds ?? null, createdAt: row.createdAt, finishedAt: row.finishedAt, waiting: row.waiting,
    params: row.params, result: row.result ?? null, error: row.error,
    links: { self: `/v1/jobs/${row.id}`, events: `/v1/jobs/${row.id}/events` },
  };
}

export const jobViewSchema = z.object({
  id: z.string(), kind: z.string(), deviceId: z.string(), operator: z.string(),
  state: z.enum(['running', 'waiting', 'succeeded', 'failed', 'cancelled']),
  waiting: z.object({
    for: z.enum(['device', 'card', 'technician']), code: z.string(), message: z.object({ 'zh-CN': z.string(), en: z.string() }), since: z.string(),
  }).nullable(),
  stage: z.string().nullable(), stages: z.array(z.object({ id: z.string(), weight: z.number(), critical: z.boolean().optional() })),
  fraction: z.number(), etaSeconds: z.number().nullable(), createdAt: z.string(), finishedAt: z.string().nullable(),
  params: z.record(z.string(), z.unknown()), result: z.unknown(),
  error: z.object({ code: z.string(), message: z.string(), messageZh: z.string() }).passthrough().nullable(),
  links: z.object({ self: z.string(), events: z.string() }),
});
