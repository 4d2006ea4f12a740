import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import { previousMonth } from '../../services/common/serviceCalendar.js';
import { followUps, FOLLOW_UP_ACTION } from '../../services/records/followUps.js';
import { monthlyReport } from '../../services/records/monthlyReport.js';
import { monthlyReportCsv, monthlyReportPage } from '../../services/records/monthlyReportViews.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { wholeNumber } from '../wholeNumber.js';
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

const followUpSchema = z.object({
  recordId: z.number(), action: z.string(), deviceId: z.string(), machineNumber: z.string().nullable(), at: z.string(), due: z.string(),
  state: z.enum(['open', 'due', 'overdue', 'done', 'done-late']),
  done: z.object({ recordId: z.number(), at: z.string(), operator: z.string(), outcome: z.string() }).nullable(),
});

export const recordRoutes: ApiPlugin = {
  name: 'records',
  register(app, { catalog, store }) {
    const all = () => store.records.list();
    defineRoute(app, catalog, {
      method: 'GET', url: '/records/follow-ups', tags: ['records'],
      summary: 'Follow-ups (回访) of repairs, upgrades, initializations and deregistrations: due one working day later (weekends skipped); default the ones due or overdue',
      query: z.strictObject({ state: z.enum(['pending', 'all']).default('pending'), device: z.string().min(1).max(128).optional() }),
      responses: { 200: { description: 'Follow-ups, oldest first', schema: z.object({ followUps: z.array(followUpSchema) }) } },
      handler: async ({ query }) => {
        const list = followUps(query.device === undefined ? all() : store.records.list({ device: query.device }), new Date());
        return { followUps: query.state === 'all' ? list : list.filter((f) => f.state === 'due' || f.state === 'overdue') };
      },
    });
    defineRoute(app, catalog, {
      method: 'POST', url: '/records/:id/follow-up', tags: ['records'], params: z.strictObject({ id: wholeNumber(1) }),
      summary: 'Records a follow-up of a service record as done, with its outcome (a new record, action follow-up)',
      body: z.strictObject({ outcome: z.string().min(1).max(2000) }),
      responses: { 201: { description: 'The follow-up as it now stands', schema: followUpSchema } },
      handler: async ({ params, body, operator, reply }) => {
        const records = all();
        const target = records.find((r) => r.id === params.id);
        if (target === undefined) throw new GatewayError('RECORD_NOT_FOUND', { params: { recordId: params.id } });
        const before = followUps(records, new Date()).find((f) => f.recordId === params.id);
        if (before === undefined) throw new GatewayError('FOLLOW_UP_NOT_CALLED_FOR', { params: { recordId: params.id, action: target.action } });
        if (before.done !== null) throw new GatewayError('FOLLOW_UP_ALREADY_DONE', { params: { recordId: params.id, doneAt: before.done.at } });
        store.records.insert({
          at: new Date().toISOString(), operator, deviceId: target.deviceId, machineNumber: target.machineNumber, action: FOLLOW_UP_ACTION,
          params: { recordId: target.id, outcome: body.outcome }, before: null, after: null, result: 'succeeded', errorCode: null, jobId: null,
        });
        reply.code(201);
        return followUps(all(), new Date()).find((f) => f.recordId === params.id)!;
      },
    });
    defineRoute(app, catalog, {
      method: 'POST', url: '/records/repairs', tags: ['records'],
      summary: 'Records a repair (维修): the diagnosis it answers, the checks it put right (their ids, for repeat faults), the work done and parts; its follow-up falls due one working day later',
      body: z.strictObject({
        device: z.string().min(1).max(128), machineNumber: z.string().regex(/^\d{16}$/).optional(),
        diagnosisId: z.string().min(1).max(64).optional(), checks: z.array(z.string().min(1).max(64)).min(1).max(64),
        work: z.string().min(1).max(2000), parts: z.string().max(2000).optional(), userSignature: z.string().max(200).optional(),
      }),
      responses: { 201: { description: 'The record', schema: recordSchema } },
      handler: async ({ body, operator, reply }) => {
        const id = store.records.insert({
          at: new Date().toISOString(), operator, deviceId: body.device, machineNumber: body.machineNumber ?? body.device, action: 'repair',
          params: { diagnosisId: body.diagnosisId ?? null, checks: body.checks, work: body.work, parts: body.parts ?? '', userSignature: body.userSignature ?? '' },
          before: null, after: null, result: 'succeeded', errorCode: null, jobId: null,
        });
        reply.code(201);
        return store.records.list({ device: body.device }).find((r) => r.id === id)!;
      },
    });
    defineRoute(app, catalog, {
      method: 'GET', url: '/records/report', tags: ['records'],
      summary: 'Monthly service report (每月10日内上报上月服务情况), default last month: by kind and result, repeats, follow-ups kept; csv, a printable zh-CN page (html) or the month\'s records for the service-management system (export)',
      query: z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional(), format: z.enum(['json', 'csv', 'html', 'export']).default('json') }),
      responses: { 200: { description: 'The report (json; or CSV, the HTML page, the export by format)', schema: z.object({ month: z.string() }).passthrough() } },
      handler: async ({ query, reply }) => {
        const month = query.month ?? previousMonth(new Date());
        const report = monthlyReport(all(), month, new Date());
        if (query.format === 'csv') {
          reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="service-report-${month}.csv"`);
          return monthlyReportCsv(report);
        }
        if (query.format === 'html') {
          reply.type('text/html; charset=utf-8');
          return monthlyReportPage(report);
        }
        if (query.format === 'export') {
          reply.header('content-disposition', `attachment; filename="service-records-${month}.json"`);
          return { format: 'fiscal-gateway/service-records', version: 1, month, period: report.period, records: report.records };
        }
        const { records: _records, ...summary } = report;
        return summary;
      },
    });
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
