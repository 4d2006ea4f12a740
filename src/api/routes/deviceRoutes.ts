import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';

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
});

export const deviceRoutes: ApiPlugin = {
  name: 'devices',
  register(app, { catalog, devices, jobs }) {
    const withJob = (id: string) => jobs.runningOn(id) ?? null;
    defineRoute(app, catalog, {
      method: 'GET', url: '/devices', summary: 'Registers known to the gateway (from memory; never waits for hardware)', tags: ['devices'],
      responses: { 200: { description: 'Devices', schema: z.object({ devices: z.array(deviceSchema) }) } },
      handler: async () => ({ devices: devices.list().map((d) => ({ ...d, busyWithJob: withJob(d.id) })) }),
    });
    defineRoute(app, catalog, {
      method: 'GET', url: '/devices/:id', summary: 'One register', tags: ['devices'], params: deviceIdParams,
      responses: { 200: { description: 'Device', schema: deviceSchema } },
      handler: async ({ params }) => {
        const device = devices.get(params.id);
        if (!device) throw new GatewayError('DEVICE_NOT_FOUND', { params: { id: params.id } });
        return { ...device, busyWithJob: withJob(device.id) };
      },
    });
  },
};
