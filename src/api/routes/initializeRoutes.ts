import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import { initializationCheckSchema } from '../../services/initialize/InitializationCheck.js';
import type { InitializationAccess } from '../../services/initialize/InitializationAccess.js';
import {
  dryRunInitialization, initializationStages, runInitialization, type InitializationDeps,
} from '../../services/initialize/initializeRegister.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { requireOnline } from '../requireOnline.js';
import { jobView, jobViewSchema } from '../jobView.js';
import { deviceIdParams } from './deviceRoutes.js';

export const INITIALIZE_KIND = 'initialize';

const readerName = z.string().min(1).max(200);

export const initializeBodySchema = z.strictObject({
  /** The confirmation token of a dry run whose checks all passed: present, the real run starts as a job. */
  confirm: z.string().min(16).max(128).optional(),
  /** PC/SC reader holding the fiscal card; default: the register's fiscal slot. */
  fiscalReader: readerName.optional(),
  /** PC/SC reader holding the user card; default: the register's user slot. */
  userReader: readerName.optional(),
  /** Resuming may make the register verify the fiscal PIN: allowed on the card's last try only when true. */
  allowLastPinTry: z.boolean().optional(),
});

const texts = z.object({ 'zh-CN': z.string(), en: z.string() });

export const dryRunResponseSchema = z.object({
  dryRun: z.literal(true),
  deviceId: z.string(),
  machineNumber: z.string(),
  ok: z.boolean(),
  plan: z.enum(['fresh', 'write', 'verify', 'none']),
  checks: z.array(initializationCheckSchema),
  error: z.object({ code: z.string(), message: texts, remedy: texts.optional() }).optional(),
  confirmation: z.object({ token: z.string(), expiresAt: z.string() }).optional(),
});

/**
 * `POST /v1/devices/{id}/initialize` (税控初始化): without `confirm`, the dry run (every check, nothing
 * changed, a token when all pass); with the token, the real run as a job whose result holds the read-back.
 */
export function initializeRoutes(access: InitializationAccess, deps: InitializationDeps): ApiPlugin {
  return {
    name: 'initialize',
    register(app, context) {
      const { catalog, jobs } = context;
      defineRoute(app, catalog, {
        method: 'POST', url: '/devices/:id/initialize', tags: ['initialize'], params: deviceIdParams, body: initializeBodySchema.optional(),
        summary: 'Fiscal initialization: dry run (checks, token) without `confirm`; the real run as a job with it',
        responses: {
          200: { description: 'Dry run: the check list, and a confirmation token when every check passed', schema: dryRunResponseSchema },
          202: { description: 'Real run started', schema: z.object({ job: jobViewSchema }) },
          409: { description: 'The token is unknown, spent, expired or another device\'s (INIT_TOKEN_INVALID), or the device is busy or offline' },
        },
        handler: async ({ params, body, operator, reply }) => {
          requireOnline(context, params.id);
          const request = body ?? {};
          const readers = {
            ...(request.fiscalReader === undefined ? {} : { fiscalReader: request.fiscalReader }),
            ...(request.userReader === undefined ? {} : { userReader: request.userReader }),
          };
          const options = { allowLastPinTry: request.allowLastPinTry ?? false };
          if (request.confirm === undefined) {
            const busy = jobs.runningOn(params.id);
            if (busy !== undefined) {
              throw new GatewayError('DEVICE_BUSY', { params: { deviceId: params.id, jobId: busy }, data: { jobId: busy } });
            }
            const result = await access.withTarget(params.id, readers, (target) => dryRunInitialization(target, deps, options));
            return { dryRun: true as const, ...result };
          }
          const token = request.confirm;
          deps.tokens.check(token, params.id);
          const { job } = jobs.start({
            kind: INITIALIZE_KIND, deviceId: params.id, operator, stages: initializationStages,
            params: { ...readers, allowLastPinTry: options.allowLastPinTry },
            record: { action: INITIALIZE_KIND, machineNumber: context.devices.get(params.id)?.identity?.machineNumber },
            run: (ctx) => access.withTarget(params.id, readers, (target) => runInitialization(target, deps, { ...options, token }, ctx)),
          });
          reply.code(202).header('location', `/v1/jobs/${job.id}`);
          return { job: jobView(job, jobs) };
        },
      });
    },
  };
}
