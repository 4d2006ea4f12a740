import { z } from 'zod';
import type { DevicePort } from '../../devices/DevicePort.js';
import { changeRequestSchema } from '../../services/changes/changeRequest.js';
import { CHANGE_JOB_KIND, changeStages, runChange } from '../../services/changes/runChange.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { jobViewSchema } from '../jobView.js';
import { startDeviceJob } from '../startDeviceJob.js';
import { deviceIdParams } from './deviceRoutes.js';

/** Registration changes (税控装置变更): `POST /v1/devices/{id}/changes`, one kind per request, a job. */
export function changesRoutes(devices: DevicePort): ApiPlugin {
  return {
    name: 'changes',
    register(app, context) {
      const { catalog } = context;
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
        handler: async ({ params, body, operator, request, reply }) => startDeviceJob(context, { request, reply, operator, deviceId: params.id, body }, {
          kind: CHANGE_JOB_KIND, stages: changeStages, params: body, action: `${CHANGE_JOB_KIND}:${body.kind}`,
          run: (ctx) => devices.withDevice(params.id, ctx.signal, (device) => runChange(device.session, body, ctx, undefined,
            context.store.records.list({ device: context.devices.get(params.id)?.identity?.machineNumber ?? params.id }))),
        }),
      });
    },
  };
}
