import { z } from 'zod';
import type { DevicePort } from '../../devices/DevicePort.js';
import type { BackupDevices } from '../../services/backup/BackupDevices.js';
import type { BackupStore } from '../../services/backup/BackupStore.js';
import { deregisterRequestSchema } from '../../services/deregister/deregisterRequest.js';
import { backupStillCurrent } from '../../services/backup/backupStillCurrent.js';
import { deregistrationBackup } from '../../services/deregister/deregistrationBackup.js';
import { DEREGISTER_JOB_KIND, deregistrationStages, runDeregistration } from '../../services/deregister/runDeregistration.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { jobViewSchema } from '../jobView.js';
import { startDeviceJob } from '../startDeviceJob.js';
import { deviceIdParams } from './deviceRoutes.js';

export interface DeregisterRoutesDeps {
  readonly registers: DevicePort;
  readonly backups: { readonly store: BackupStore; readonly devices: BackupDevices };
}

/** Deregistration (注销): `POST /v1/devices/{id}/deregister`, a job whose result carries the printable service record. */
export function deregisterRoutes({ registers, backups }: DeregisterRoutesDeps): ApiPlugin {
  return {
    name: 'deregister',
    register(app, context) {
      const { catalog, devices } = context;
      defineRoute(app, catalog, {
        method: 'POST', url: '/devices/:id/deregister', tags: ['deregister'], params: deviceIdParams,
        summary: 'Retires a register: a verified backup from the last hour first (made if needed), the final state recorded, refused while an undeclared period remains unless allowUndeclared; the result has the service record for the tax office (JSON and printable zh-CN)',
        body: deregisterRequestSchema.optional(),
        headers: [{ name: 'Idempotency-Key', description: 'Repeat-safe: the same key returns the same job' }],
        responses: {
          202: { description: 'Job started', schema: z.object({ job: jobViewSchema }) },
          200: { description: 'Same Idempotency-Key: the earlier job', schema: z.object({ job: jobViewSchema }) },
          409: { description: 'Device busy (with the running job\'s id) or offline' },
        },
        handler: async ({ params, body, operator, request, reply }) => {
          const deregister = body ?? deregisterRequestSchema.parse({});
          const machineNumber = devices.get(params.id)?.identity?.machineNumber;
          return startDeviceJob(context, { request, reply, operator, deviceId: params.id, body: deregister }, {
            kind: DEREGISTER_JOB_KIND, stages: deregistrationStages, params: deregister,
            run: (ctx) => runDeregistration({
              backupKey: machineNumber ?? params.id,
              backups: backups.store,
              operator,
              history: context.store.records.list({ device: machineNumber ?? params.id }),
              makeBackup: deregistrationBackup(params.id, backups, ctx),
              backupStillCurrent: backupStillCurrent({
                store: backups.store, devices: backups.devices, deviceId: params.id, signal: ctx.signal,
                history: context.store.records.list({ device: machineNumber ?? params.id }),
              }),
              withRegister: (work) => registers.withDevice(params.id, ctx.signal, (device) => work(device.session)),
            }, deregister, ctx),
          });
        },
      });
    },
  };
}
