import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { FiscalViewCache } from '../FiscalViewCache.js';

export const deviceIdParams = z.strictObject({ id: z.string().min(1).max(128) });

const deviceSchema = z.object({
  id: z.string(), state: z.enum(['identifying', 'online', 'offline', 'maintenance', 'bootloader']), simulated: z.boolean(),
  transport: z.object({ kind: z.string(), path: z.string() }).passthrough(),
  identity: z.object({
    machineNumber: z.string(), model: z.string(), hardwareRevision: z.string(), firmwareVersion: z.string(), bootloaderVersion: z.string(),
    mode: z.enum(['application', 'bootloader']).optional(),
  }).optional(),
  lastSeenAt: z.string().optional(),
  busyWithJob: z.string().nullable(),
  /** From the gateway's own store (the last diagnosis and the service records), never read from the hardware here. */
  fiscal: z.object({
    fiscalState: z.enum(['new', 'initialized', 'deregistered', 'bootloader', 'unknown']),
    taxpayer: z.object({ number: z.string(), id: z.string(), name: z.string() }).nullable(),
    issueDeadline: z.string().nullable(),
    lastDiagnosis: z.object({
      id: z.string(), at: z.string(), verdict: z.enum(['ok', 'attention', 'fault']),
      worst: z.object({ id: z.string(), status: z.enum(['ok', 'warning', 'fault', 'not-run']), zh: z.string(), en: z.string() }).nullable(),
    }).nullable(),
    lastBackup: z.object({ at: z.string(), jobId: z.string().nullable(), backupId: z.string().nullable() }).nullable(),
    cards: z.object({ fiscal: z.boolean().nullable(), user: z.boolean().nullable() }),
  }),
});

export const deviceRoutes: ApiPlugin = {
  name: 'devices',
  register(app, { catalog, devices, jobs, store }) {
    const withJob = (id: string) => jobs.runningOn(id) ?? null;
    const fiscalViews = new FiscalViewCache(store);
    defineRoute(app, catalog, {
      method: 'GET', url: '/devices', summary: 'Registers known to the gateway with their fiscal state, taxpayer, issue deadline, last diagnosis, last backup and cards (from memory and the store; never waits for hardware)', tags: ['devices'],
      responses: { 200: { description: 'Devices', schema: z.object({ devices: z.array(deviceSchema) }) } },
      handler: async () => {
        const fiscalViewOf = fiscalViews.reader();
        return { devices: devices.list().map((d) => ({ ...d, busyWithJob: withJob(d.id), fiscal: fiscalViewOf(d) })) };
      },
    });
    defineRoute(app, catalog, {
      method: 'GET', url: '/devices/:id', summary: 'One register', tags: ['devices'], params: deviceIdParams,
      responses: { 200: { description: 'Device', schema: deviceSchema } },
      handler: async ({ params }) => {
        const device = devices.get(params.id);
        if (!device) throw new GatewayError('DEVICE_NOT_FOUND', { params: { id: params.id } });
        return { ...device, busyWithJob: withJob(device.id), fiscal: fiscalViews.reader()(device) };
      },
    });
  },
};
