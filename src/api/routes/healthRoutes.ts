import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { z } from 'zod';

export const healthRoutes: ApiPlugin = {
  name: 'health',
  register(app, { catalog, version, devices }) {
    defineRoute(app, catalog, {
      method: 'GET', url: '/health', open: true, summary: 'Liveness; the only route without a token', tags: ['daemon'],
      responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok'), version: z.string(), devices: z.number() }) } },
      handler: async () => ({ status: 'ok', version, devices: devices.list().length }),
    });
  },
};
