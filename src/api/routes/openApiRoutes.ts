import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';

export const openApiRoutes: ApiPlugin = {
  name: 'openapi',
  register(app, { catalog, version }) {
    defineRoute(app, catalog, {
      method: 'GET', url: '/openapi.json', summary: 'This API, as OpenAPI 3.1, generated from the route schemas', tags: ['daemon'],
      handler: async () => catalog.openApi(version),
    });
  },
};
