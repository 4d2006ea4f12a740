import { z } from 'zod';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { recordsCsv } from './recordsCsv.js';

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO date or date-time; a bare date as `until` includes that whole day. */
function instant(kind: 'since' | 'until') {
  return z.string().max(40).refine((text) => !Number.isNaN(Date.parse(text)), { message: 'expected an ISO-8601 date or date-time' })
    .transform((text) => {
      const at = new Date(Date.parse(dateOnly.test(text) ? `${text}T00:00:00.000Z` : text));
      if (kind === 'until' && dateOnly.test(text)) at.setUTCDate(at.getUTCDate() + 1);
      return at.toISOString();
    });
}

const recordSchema = z.object({
  id: z.number(), at: z.string(), operator: z.string(), deviceId: z.string(), machineNumber: z.string().nullable(),
  action: z.string(), params: z.record(z.string(), z.unknown()), before: z.unknown(), after: z.unknown(),
  result: z.enum(['succeeded', 'failed', 'cancelled', 'interrupted']), errorCode: z.string().nullable(), jobId: z.string().nullable(),
});

export const recordRoutes: ApiPlugin = {
  name: 'records',
  register(app, { catalog, store }) {
    defineRoute(app, catalog, {
      method: 'GET', url: '/records', tags: ['records'],
      summary: 'Service records (维修记录), oldest first; `until` is exclusive, a bare date includes that day; CSV for export',
      query: z.strictObject({
        device: z.string().min(1).max(128).optional(),
        since: instant('since').optional(),
        until: instant('until').optional(),
        format: z.enum(['json', 'csv']).default('json'),
      }),
      responses: {
        200: { description: 'Records', schema: z.object({ records: z.array(recordSchema) }) },
      },
      handler: async ({ query, reply }) => {
        const records = store.records.list({ device: query.device, since: query.since, until: query.until });
        if (query.format === 'csv') {
          reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="service-records.csv"');
          return recordsCsv(records);
        }
        return { records };
      },
    });
  },
};
