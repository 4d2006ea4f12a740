import { z } from 'zod';
import type { DevicePort } from '../../devices/DevicePort.js';
import { ROLL_JOB_KIND, rollStages, runRollDistribution } from '../../services/rolls/distributeRoll.js';
import { rollRequestSchema } from '../../services/rolls/rollRequest.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { jobViewSchema } from '../jobView.js';
import { startDeviceJob } from '../startDeviceJob.js';
import { deviceIdParams } from './deviceRoutes.js';

/** Invoice rolls (发票分发): `POST /v1/devices/{id}/rolls`, a job. */
export function rollsRoutes(registers: DevicePort): ApiPlugin {
  return {
    name: 'rolls',
    register(app, context) {
      const { catalog, devices } = context;
      defineRoute(app, catalog, {
        method: 'POST', url: '/devices/:id/rolls', tags: ['rolls'], params: deviceIdParams,
        summary: 'Puts one invoice roll from the user card in the register\'s slot onto its fiscal card (GB link 31 then 50); a roll an interrupted run left distributed is mounted instead, never distributed twice',
        body: rollRequestSchema.optional(),
        headers: [{ name: 'Idempotency-Key', description: 'Repeat-safe: the same key returns the same job' }],
        responses: {
          202: { description: 'Job started; its result names the roll', schema: z.object({ job: jobViewSchema }) },
          200: { description: 'Same Idempotency-Key: the earlier job', schema: z.object({ job: jobViewSchema }) },
          409: { description: 'Device busy (with the running job\'s id) or offline' },
        },
        handler: async ({ params, body, operator, request, reply }) => {
          const roll = body ?? rollRequestSchema.parse({});
          const machineNumber = devices.get(params.id)?.identity?.machineNumber;
          return startDeviceJob(context, { request, reply, operator, deviceId: params.id, body: roll }, {
            kind: ROLL_JOB_KIND, stages: rollStages, params: roll,
            run: (ctx) => registers.withDevice(params.id, ctx.signal, (device) => runRollDistribution(device.session, roll, ctx, {
              history: context.store.records.list({ device: machineNumber ?? params.id }),
            })),
          });
        },
      });
    },
  };
}
