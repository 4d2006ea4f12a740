import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import { initializationCheckSchema } from '../../services/initialize/InitializationCheck.js';
import type { DevicePort } from '../../devices/DevicePort.js';
import { withInitializationTarget, type PcscChannels } from '../../services/initialize/withInitializationTarget.js';
import {
  dryRunInitialization, initializationStages, runInitialization, type InitializationDeps,
} from '../../services/initialize/initializeRegister.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { requireOnline } from '../requireOnline.js';
import { jobViewSchema } from '../jobView.js';
import { startDeviceJob } from '../startDeviceJob.js';
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
  /** An interrupted GB link 30 may have used the kept PIN (INIT_PIN_IN_DOUBT): send it again all the same (it may spend a try). */
  resendPin: z.boolean().optional(),
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
 * The token is single-use, so a client that lost the answer can only retry the confirming POST with its
 * `Idempotency-Key`: the same key and body give the job the first POST started.
 */
export function initializeRoutes(devices: DevicePort, cardReaders: PcscChannels, deps: InitializationDeps): ApiPlugin {
  return {
    name: 'initialize',
    register(app, context) {
      const { catalog, jobs } = context;
      defineRoute(app, catalog, {
        method: 'POST', url: '/devices/:id/initialize', tags: ['initialize'], params: deviceIdParams, body: initializeBodySchema.optional(),
        summary: 'Fiscal initialization: dry run (checks, token) without `confirm`; the real run as a job with it',
        headers: [{ name: 'Idempotency-Key', description: 'On the confirming POST: repeated with the same body it returns the same job, though the token is spent' }],
        responses: {
          200: {
            description: 'Dry run: the check list, and a confirmation token when every check passed; or, for the confirming POST repeated with its Idempotency-Key, the job it started',
            schema: z.union([dryRunResponseSchema, z.object({ job: jobViewSchema })]),
          },
          202: { description: 'Real run started', schema: z.object({ job: jobViewSchema }) },
          409: { description: 'The token is unknown, spent, expired or another device\'s (INIT_TOKEN_INVALID), or the device is busy or offline' },
        },
        handler: async ({ params, body, operator, request, reply }) => {
          const input = body ?? {};
          const readers = {
            ...(input.fiscalReader === undefined ? {} : { fiscalReader: input.fiscalReader }),
            ...(input.userReader === undefined ? {} : { userReader: input.userReader }),
          };
          const options = { allowLastPinTry: input.allowLastPinTry ?? false, resendPin: input.resendPin ?? false };
          if (input.confirm === undefined) {
            requireOnline(context, params.id);
            const busy = jobs.runningOn(params.id);
            if (busy !== undefined) {
              throw new GatewayError('DEVICE_BUSY', { params: { deviceId: params.id, jobId: busy }, data: { jobId: busy } });
            }
            const dryRun = new AbortController();
            // A client that goes away stops the wait for the register.
            reply.raw.once('close', () => dryRun.abort(new GatewayError('CANCELLED')));
            const result = await withInitializationTarget(devices, cardReaders, params.id, readers, dryRun.signal, (target) => dryRunInitialization(target, deps, options));
            return { dryRun: true as const, ...result };
          }
          const token = input.confirm;
          return startDeviceJob(context, { request, reply, operator, deviceId: params.id, body: input }, {
            kind: INITIALIZE_KIND, stages: initializationStages, params: { ...readers, allowLastPinTry: options.allowLastPinTry, resendPin: options.resendPin },
            check: async () => { deps.tokens.check(token, params.id); },
            run: (ctx) => withInitializationTarget(devices, cardReaders, params.id, readers, ctx.signal, (target) => runInitialization(target, deps, { ...options, token }, ctx)),
          });
        },
      });
    },
  };
}
