import { z } from 'zod';
import type { DevicePort } from '../../devices/DevicePort.js';
import type { BackupGateFor } from '../../services/common/BackupGate.js';
import { deregisterRequestSchema, type DeregisterRequest } from '../../services/deregister/deregisterRequest.js';
import type { PastRecord } from '../../services/common/PastRecord.js';
import type { JobContext } from '../../jobs/types.js';
import { DEREGISTER_JOB_KIND, deregistrationStages, runDeregistration } from '../../services/deregister/runDeregistration.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { jobViewSchema } from '../jobView.js';
import { startDeviceJob } from '../startDeviceJob.js';
import { deviceIdParams } from './deviceRoutes.js';

export interface DeregisterRoutesDeps {
  readonly registers: DevicePort;
  /** The backup area's gate (its wiring implements the port; deregistration never imports the backup service). */
  readonly backupGate: BackupGateFor;
  /** The register time zone (daemon config registerUtcOffset), minutes east of UTC, for the printable record; UTC+8 when absent. */
  readonly utcOffsetMinutes?: number;
}

/** Which register a deregistration job retires, for whom, and this gateway's earlier records of it. */
export interface DeregistrationTarget {
  readonly deviceId: string;
  /** What the backups and records are listed under (the machine number once identified). */
  readonly backupKey: string;
  readonly operator: string;
  readonly history: () => readonly PastRecord[];
}

/** The run of a deregistration job: as the route starts it, and as its reconcile resumes it after an interruption. */
export function deregistrationRun({ registers, backupGate, utcOffsetMinutes }: DeregisterRoutesDeps, target: DeregistrationTarget, request: DeregisterRequest) {
  return (ctx: Pick<JobContext, 'signal' | 'stage' | 'progress' | 'record' | 'throwIfCancelled' | 'checkpoint'>) => runDeregistration({
    backupGate: backupGate({ deviceId: target.deviceId, backupKey: target.backupKey, history: target.history() }, ctx),
    operator: target.operator,
    history: target.history(),
    withRegister: (work) => registers.withDevice(target.deviceId, ctx.signal, (device) => work(device.session)),
    ...(utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes }),
  }, request, ctx);
}

/** Deregistration (注销): `POST /v1/devices/{id}/deregister`, a job whose result carries the printable service record. */
export function deregisterRoutes(deps: DeregisterRoutesDeps): ApiPlugin {
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
            run: deregistrationRun(deps, {
              deviceId: params.id, backupKey: machineNumber ?? params.id, operator,
              history: () => context.store.records.list({ device: machineNumber ?? params.id }),
            }, deregister),
          });
        },
      });
    },
  };
}
