import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { jobView, jobViewSchema } from '../jobView.js';
import { deviceIdParams } from './deviceRoutes.js';
import { startDeviceJob } from '../startDeviceJob.js';
import type { BorrowedDevice, DevicePort } from '../../devices/DevicePort.js';
import { deviceDiagnostics } from '../../services/diagnostics/deviceDiagnostics.js';
import type { DiagnosticsPort } from '../../services/diagnostics/DiagnosticsPort.js';
import { deregisteredAt, DIAGNOSTICS_JOB_KIND, repairsOf } from '../../services/diagnostics/deviceFiscalView.js';
import { explanationTable } from '../../services/diagnostics/explanations.js';
import { diagnosticsStages, runDiagnostics, type DiagnosticsOptions } from '../../services/diagnostics/runDiagnostics.js';

export const DIAGNOSTICS_KIND = DIAGNOSTICS_JOB_KIND;

/**
 * `POST /v1/devices/{id}/diagnostics` starts the job (the register borrowed through the DevicePort, seen by
 * `diagnosticsOf`, default every read of the check registry); `GET /v1/diagnostics/{id}` gives its report.
 * `options(deviceId)` gives the register time zone and what the gateway knows beyond the register.
 */
export function diagnosticsRoutes(
  devices: DevicePort,
  diagnosticsOf: (device: BorrowedDevice) => DiagnosticsPort = deviceDiagnostics,
  options: (deviceId: string) => DiagnosticsOptions = () => ({}),
): ApiPlugin {
  return {
    name: 'diagnostics',
    register(app, context) {
      const { catalog, jobs } = context;
      defineRoute(app, catalog, {
        method: 'POST', url: '/devices/:id/diagnostics', tags: ['diagnostics'], params: deviceIdParams,
        summary: 'Runs the check registry on a register as a job: link, identity, firmware, self-checks, clock, fiscal state, memory, deadlines, limits, rolls, both cards',
        body: z.strictObject({}).optional(),
        headers: [{ name: 'Idempotency-Key', description: 'Repeat-safe: the same key returns the same job' }],
        responses: {
          202: { description: 'Job started', schema: z.object({ job: jobViewSchema, report: z.string() }) },
          200: { description: 'Same Idempotency-Key: the earlier job', schema: z.object({ job: jobViewSchema, report: z.string() }) },
          409: {
            description: 'DEVICE_BUSY, answered at once, naming the job that holds the register. Diagnostics never run beside a job, not even a '
              + 'read-only subset: the register has one line and the job owns it, so retry when that job has ended. Diagnostics themselves only read '
              + '(every GB-link command sent is one SPEC.md marks read; card APDUs are SELECT/READ and the ISO tries query that spends no try); '
              + 'a register that does not answer gets its report within a few seconds, link fault and the rest not-run.',
          },
        },
        handler: async ({ params, body, operator, request, reply }) => {
          const report = (jobId: string) => `/v1/diagnostics/${jobId}`;
          const answer = await startDeviceJob(context, { request, reply, operator, deviceId: params.id, body: body ?? {} }, {
            kind: DIAGNOSTICS_KIND, stages: diagnosticsStages, location: report,
            run: (ctx) => devices.withDevice(params.id, ctx.signal, (device) => {
              const given = options(params.id);
              return runDiagnostics(ctx, diagnosticsOf(device), {
                ...given,
                known: async () => {
                  const records = context.store.records.list({ device: params.id });
                  const gone = deregisteredAt(records);
                  return { repairs: repairsOf(records), ...(gone === undefined ? {} : { deregisteredAt: gone }), ...(await given.known?.()) };
                },
              });
            }),
          });
          return { ...answer, report: report(String(answer.job.id)) };
        },
      });

      defineRoute(app, catalog, {
        method: 'GET', url: '/explanations', tags: ['diagnostics'],
        summary: 'One table of explanations: every GB-link ER code, card status word and gateway error code with its meaning, remedy (zh-CN, en) and who can act',
        responses: { 200: { description: 'er, statusWords and errors, each entry with code, meaning, remedy and actor', schema: z.object({ er: z.array(z.unknown()), statusWords: z.array(z.unknown()), errors: z.array(z.unknown()) }) } },
        handler: async () => explanationTable(),
      });

      defineRoute(app, catalog, {
        method: 'GET', url: '/diagnostics/:id', tags: ['diagnostics'], params: z.strictObject({ id: z.string().min(1).max(64) }),
        summary: 'A diagnostics report (its id is the job id): state while running, findings in plain words when done',
        responses: {
          200: {
            description: 'Report: null while the job runs, the findings once it has succeeded; error when it failed',
            schema: z.object({ id: z.string(), deviceId: z.string(), state: jobViewSchema.shape.state, job: jobViewSchema, report: z.unknown(), error: jobViewSchema.shape.error }),
          },
        },
        handler: async ({ params }) => {
          const row = jobs.get(params.id);
          if (!row || row.kind !== DIAGNOSTICS_KIND) throw new GatewayError('DIAGNOSTICS_NOT_FOUND', { params: { reportId: params.id } });
          return { id: row.id, deviceId: row.deviceId, state: row.state, job: jobView(row, jobs), report: row.result ?? null, error: row.error };
        },
      });
    },
  };
}
