import { z } from 'zod';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';

export const openApiRoutes: ApiPlugin = {
  name: 'openapi',
  register(app, { catalog, version }) {
    defineRoute(app, catalog, {
      method: 'GET', url: '/openapi.json', summary: 'This API, as OpenAPI 3.1, generated from the route schemas', tags: ['daemon'],
      responses: { 200: { description: 'OpenAPI 3.1 document', schema: z.object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }) } },
      handler: async () => catalog.openApi(version),
    });
  },
};
