import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../contracts/errors/index.js';
import type { JobSpec } from '../jobs/types.js';
import type { ApiContext } from './ApiContext.js';
import { idempotencyClaim } from './idempotency.js';
import { jobView } from './jobView.js';
import { requireOnline } from './requireOnline.js';

export interface DeviceJobRequest {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly operator: string;
  readonly deviceId: string;
  /** The validated body, defaults applied: what an Idempotency-Key is bound to. */
  readonly body: unknown;
}

export type DeviceJob<R> = Pick<JobSpec<R>, 'kind' | 'stages' | 'params' | 'run'> & {
  /** The service record's action; the job's kind when absent. */
  readonly action?: string;
  /** Where the answer points (`Location`); the job itself when absent. */
  readonly location?: (jobId: string) => string;
  /** Run for a new job only, after the online check: what else must hold before it starts (a named backup exists). */
  readonly check?: () => Promise<void>;
  /** The job may start on a register in its bootloader (a firmware upgrade: the way back to a working image). */
  readonly bootloaderToo?: boolean;
};

/**
 * What every route that starts a job on one device does: honour `Idempotency-Key` (the same key, body and operator
 * give the earlier job, 200; another body 422 IDEMPOTENCY_KEY_REUSED, another operator 422
 * IDEMPOTENCY_KEY_OTHER_OPERATOR), else require the device online and pass the job's own check, start the job
 * (409 with the running job's id when busy), name the machine in the service record, and answer 202 with `Location`.
 */
export async function startDeviceJob<R>(context: ApiContext, input: DeviceJobRequest, job: DeviceJob<R>): Promise<{ job: Record<string, unknown> }> {
  const { request, reply, operator, deviceId, body } = input;
  const claim = idempotencyClaim(request, body);
  const earlier = claim === undefined ? undefined : context.store.idempotency.find(claim.scope, claim.key);
  if (claim !== undefined && earlier !== undefined) {
    const owner = context.store.jobs.get(earlier.jobId)?.operator;
    if (owner !== undefined && owner !== operator) throw new GatewayError('IDEMPOTENCY_KEY_OTHER_OPERATOR', { params: { key: claim.key } });
  }
  if (earlier === undefined) {
    requireOnline(context, deviceId, { bootloaderToo: job.bootloaderToo === true });
    await job.check?.();
  }
  const { job: row, reused } = context.jobs.start({
    kind: job.kind, deviceId, operator, stages: job.stages, params: job.params, idempotency: claim, run: job.run,
    record: { action: job.action ?? job.kind, machineNumber: context.devices.get(deviceId)?.identity?.machineNumber },
  });
  reply.code(reused ? 200 : 202).header('location', job.location?.(row.id) ?? `/v1/jobs/${row.id}`);
  return { job: jobView(row, context.jobs) };
}
