import { z } from 'zod';
import { changeRequestSchema } from '../../services/changes/changeRequest.js';
import { CHANGE_JOB_KIND, changeStages, runChange } from '../../services/changes/runChange.js';
import type { RegisterLending } from '../../services/rolls/RegisterLending.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { requireOnline } from '../requireOnline.js';
import { idempotencyClaim } from '../idempotency.js';
import { jobView, jobViewSchema } from '../jobView.js';
import { deviceIdParams } from './deviceRoutes.js';

/** Registration changes (税控装置变更): `POST /v1/devices/{id}/changes`, one kind per request, a job. */
export function changesRoutes(registers: RegisterLending): ApiPlugin {
  return {
    name: 'changes',
    register(app, context) {
      const { catalog, jobs, devices } = context;
      defineRoute(app, catalog, {
        method: 'POST', url: '/devices/:id/changes', tags: ['changes'], params: deviceIdParams,
        summary: 'One registration change by kind: basic-info, installation-info, invoice-approval, monitoring-data (the control update) or tax-registration; a new taxpayer identification number is refused (deregister and initialize again)',
        body: changeRequestSchema,
        headers: [{ name: 'Idempotency-Key', description: 'Repeat-safe: the same key returns the same job' }],
        responses: {
          202: { description: 'Job started; its result has before/after and what reached the register', schema: z.object({ job: jobViewSchema }) },
          200: { description: 'Same Idempotency-Key: the earlier job', schema: z.object({ job: jobViewSchema }) },
          409: { description: 'Device busy (with the running job\'s id) or offline' },
        },
        handler: async ({ params, body, operator, request, reply }) => {
          const claim = idempotencyClaim(request, body);
          if (!(claim && context.store.idempotency.find(claim.scope, claim.key))) requireOnline(context, params.id);
          const { job, reused } = jobs.start({
            kind: CHANGE_JOB_KIND, deviceId: params.id, operator, stages: changeStages, params: body, idempotency: claim,
            record: { action: `${CHANGE_JOB_KIND}:${body.kind}`, machineNumber: devices.get(params.id)?.identity?.machineNumber },
            run: (ctx) => registers.withSession(params.id, (session) => runChange(session, body, ctx)),
          });
          reply.code(reused ? 200 : 202).header('location', `/v1/jobs/${job.id}`);
          return { job: jobView(job, jobs) };
        },
      });
    },
  };
}
