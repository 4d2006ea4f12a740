import { Readable } from 'node:stream';
import { z } from 'zod';
import { backupArchiveStream } from '../../services/backup/BackupArchive.js';
import { withBackupPort, withRestoreTarget, type BackupDevices } from '../../services/backup/BackupDevices.js';
import { BACKUP_JOB_KIND, backupStages, runBackupJob } from '../../services/backup/backupJob.js';
import type { BackupStore, BackupSummary } from '../../services/backup/BackupStore.js';
import { RESTORE_JOB_KIND, restoreStages, runRestoreJob } from '../../services/backup/restore/restoreJob.js';
import { exportBackupToStick, type StickWriter } from '../../services/backup/exportBackupToStick.js';
import { verifyBackupAgainstDevice } from '../../services/backup/verifyBackupAgainstDevice.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { jobViewSchema } from '../jobView.js';
import { startDeviceJob } from '../startDeviceJob.js';
import { deviceIdParams } from './deviceRoutes.js';

const backupIdParams = z.strictObject({ id: z.string().min(1).max(64) });

const summarySchema = z.object({
  id: z.string(), deviceId: z.string(), machineNumber: z.string(), model: z.string().optional(), firmwareVersion: z.string().optional(),
  gatewayVersion: z.string(), createdAt: z.string(), completedAt: z.string(), counts: z.record(z.string(), z.number()),
  problems: z.number(), bytes: z.number(),
  links: z.object({ self: z.string(), verify: z.string(), archive: z.string() }),
});

const failureSchema = z.object({ file: z.string(), reason: z.string(), detail: z.string() });

function view(summary: BackupSummary) {
  const { dir: _dir, ...rest } = summary;
  return {
    ...rest,
    links: { self: `/v1/backups/${summary.id}`, verify: `/v1/backups/${summary.id}/verify`, archive: `/v1/backups/${summary.id}/archive` },
  };
}

export interface BackupRoutesDeps {
  readonly store: BackupStore;
  /** The registers, borrowed through the DevicePort. */
  readonly devices: BackupDevices;
  /** Writes onto a removable volume (drivers/stick, given by the daemon). */
  readonly stick: StickWriter;
}

/**
 * Data backup (数据备份): `POST /v1/devices/{id}/backups` (a job), `GET /v1/devices/{id}/backups`,
 * `GET /v1/backups/{id}`, `POST /v1/backups/{id}/verify`, `GET /v1/backups/{id}/archive`, and
 * `POST /v1/devices/{id}/restore` (a job: a backup's parameters onto a replacement register).
 */
export function backupsRoutes({ store, devices: registers, stick }: BackupRoutesDeps): ApiPlugin {
  return {
    name: 'backups',
    register(app, context) {
      const { catalog, jobs, devices } = context;
      const availability = { isOnline: (id: string) => devices.get(id)?.state === 'online', runningJob: (id: string) => jobs.runningOn(id) };

      defineRoute(app, catalog, {
        method: 'POST', url: '/devices/:id/backups', tags: ['backups'], params: deviceIdParams,
        summary: 'Backs up everything the register and the cards in its slots hold, as a job; the result names the backup and every problem found',
        body: z.strictObject({}).optional(),
        headers: [{ name: 'Idempotency-Key', description: 'Repeat-safe: the same key returns the same job' }],
        responses: {
          202: { description: 'Job started', schema: z.object({ job: jobViewSchema }) },
          200: { description: 'Same Idempotency-Key: the earlier job', schema: z.object({ job: jobViewSchema }) },
        },
        handler: async ({ params, body, operator, request, reply }) => startDeviceJob(context, { request, reply, operator, deviceId: params.id, body: body ?? {} }, {
          kind: BACKUP_JOB_KIND, stages: backupStages,
          run: (ctx) => withBackupPort(registers, params.id, ctx.signal, (port) => runBackupJob(ctx, port, store)),
        }),
      });

      defineRoute(app, catalog, {
        method: 'POST', url: '/devices/:id/restore', tags: ['backups'], params: deviceIdParams,
        summary: 'Restores what the law allows from a backup onto a replacement register (taxpayer parameters, 62), as a job; never fiscal memory. The service record names both machines',
        body: z.strictObject({
          backup: z.string().min(1).max(64).describe('Id of a backup of the machine being replaced'),
          dryRun: z.boolean().default(false).describe('Plan and report only: nothing is written'),
        }),
        headers: [{ name: 'Idempotency-Key', description: 'Repeat-safe: the same key returns the same job' }],
        responses: {
          202: { description: 'Job started; its result is the plan, what was applied, and what is never restored', schema: z.object({ job: jobViewSchema }) },
          200: { description: 'Same Idempotency-Key: the earlier job', schema: z.object({ job: jobViewSchema }) },
        },
        handler: async ({ params, body, operator, request, reply }) => startDeviceJob(context, { request, reply, operator, deviceId: params.id, body }, {
          kind: RESTORE_JOB_KIND, stages: restoreStages, params: { backup: body.backup, dryRun: body.dryRun },
          check: async () => { await store.get(body.backup); },
          run: (ctx) => withRestoreTarget(registers, params.id, ctx.signal, (target) => runRestoreJob(ctx, target, store, { backupId: body.backup, dryRun: body.dryRun })),
        }),
      });

      defineRoute(app, catalog, {
        method: 'GET', url: '/devices/:id/backups', tags: ['backups'], params: deviceIdParams,
        summary: 'Complete backups of one register (by device id or machine number), newest first',
        responses: { 200: { description: 'Backups', schema: z.object({ backups: z.array(summarySchema) }) } },
        handler: async ({ params }) => {
          const machine = devices.get(params.id)?.identity?.machineNumber;
          const found = await store.list({ device: machine ?? params.id });
          return { backups: found.map(view) };
        },
      });

      defineRoute(app, catalog, {
        method: 'GET', url: '/backups/:id', tags: ['backups'], params: backupIdParams,
        summary: 'One backup: its summary and full manifest (counts, bounds, file hashes, problems)',
        responses: { 200: { description: 'Backup', schema: summarySchema.extend({ manifest: z.unknown() }) } },
        handler: async ({ params }) => ({ ...view(await store.get(params.id)), manifest: await store.manifest(params.id) }),
      });

      defineRoute(app, catalog, {
        method: 'POST', url: '/backups/:id/verify', tags: ['backups'], params: backupIdParams,
        summary: 'Re-hashes every file of a backup; with its register online and idle, also compares counts and the last day with it',
        body: z.strictObject({ compareWithDevice: z.boolean().default(true) }).optional(),
        responses: {
          200: {
            description: 'Verification report (ok false names each bad file)',
            schema: z.object({ id: z.string(), ok: z.boolean(), verifiedAt: z.string(), failures: z.array(failureSchema), device: z.unknown() }),
          },
        },
        handler: async ({ params, body }) => verifyBackupAgainstDevice({ store, devices: registers, registers: availability }, params.id, { compareWithDevice: body?.compareWithDevice ?? true }),
      });

      defineRoute(app, catalog, {
        method: 'POST', url: '/backups/:id/export', tags: ['backups'], params: backupIdParams,
        summary: 'Exports a backup that still verifies onto a USB stick (FISCAL/BACKUP/<machine>/…tar with a .sha256), reads it back and checks every file in the copy',
        body: z.strictObject({
          mountPoint: z.string().min(1).max(4096).optional().describe('Mount point of the stick; default: the first writable removable volume'),
        }).optional(),
        responses: {
          200: {
            description: 'Where the copy is and what was proved of it',
            schema: z.object({
              backupId: z.string(), mountPoint: z.string(), path: z.string(), checksumPath: z.string(),
              bytes: z.number(), sha256: z.string(), filesVerified: z.number(),
            }),
          },
        },
        handler: async ({ params, body }) => exportBackupToStick(store, params.id, stick, body?.mountPoint),
      });

      defineRoute(app, catalog, {
        method: 'GET', url: '/backups/:id/archive', tags: ['backups'], params: backupIdParams,
        summary: 'The backup as one ustar archive with SHA256SUMS (check with `fiscalctl verify-backup` or `tar -x` + `sha256sum -c`); refused if it no longer verifies',
        responses: { 200: { description: 'ustar archive', contentType: 'application/x-tar', schema: z.string() } },
        handler: async ({ params, reply }) => {
          const verification = await store.assertVerified(params.id);
          const name = verification.dir.split('/').slice(-2).join('-');
          reply.header('content-type', 'application/x-tar').header('content-disposition', `attachment; filename="${name}.tar"`);
          return reply.send(Readable.from(backupArchiveStream(verification.dir)));
        },
      });

    },
  };
}
