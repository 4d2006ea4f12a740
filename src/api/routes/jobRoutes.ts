import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { ApiPlugin } from '../ApiContext.js';
import { defineRoute } from '../defineRoute.js';
import { WHOLE_NUMBER_PATTERN, wholeNumber } from '../wholeNumber.js';
import { jobView, jobViewSchema } from '../jobView.js';
import { streamJobEvents } from './streamJobEvents.js';

const jobParams = z.strictObject({ id: z.string().min(1).max(64) });

export const jobRoutes: ApiPlugin = {
  name: 'jobs',
  register(app, { catalog, jobs, store, eventStreams }) {
    const find = (id: string) => {
      const row = jobs.get(id);
      if (!row) throw new GatewayError('JOB_NOT_FOUND', { params: { jobId: id } });
      return row;
    };

    defineRoute(app, catalog, {
      method: 'GET', url: '/jobs', summary: 'Recent jobs, newest first', tags: ['jobs'],
      query: z.strictObject({
        device: z.string().min(1).max(128).optional(),
        state: z.enum(['running', 'waiting', 'succeeded', 'failed', 'cancelled']).optional(),
        limit: wholeNumber(1, 1000).default(100),
      }),
      responses: { 200: { description: 'Jobs', schema: z.object({ jobs: z.array(jobViewSchema) }) } },
      handler: async ({ query }) => ({
        jobs: store.jobs.list({ deviceId: query.device, state: query.state, limit: query.limit }).map((row) => jobView(row, jobs)),
      }),
    });

    defineRoute(app, catalog, {
      method: 'GET', url: '/jobs/:id', summary: 'One job: state, stage, progress, ETA, result or error', tags: ['jobs'], params: jobParams,
      responses: { 200: { description: 'Job', schema: jobViewSchema } },
      handler: async ({ params }) => jobView(find(params.id), jobs),
    });

    defineRoute(app, catalog, {
      method: 'GET', url: '/jobs/:id/events', tags: ['jobs'], params: jobParams,
      summary: 'Server-sent events of a job, in order, with ids (resume with Last-Event-ID); the last is `end` with the result',
      query: z.strictObject({ after: wholeNumber(0).optional() }),
      headers: [{ name: 'Last-Event-ID', description: 'Resume after this event id' }],
      responses: {
        200: {
          description: 'text/event-stream: `started`, `stage`, `progress`, `cancel-requested`, then `end` with the state and the result or error; `id:` is the sequence number',
          contentType: 'text/event-stream', schema: z.string(),
        },
        503: { description: 'TOO_MANY_EVENT_STREAMS: as many streams are open as the daemon serves at once (limits.eventStreams); Retry-After says when to try again' },
      },
      handler: async ({ params, query, request, reply }) => {
        const row = find(params.id);
        const header = request.headers['last-event-id'];
        const fromHeader = typeof header === 'string' && WHOLE_NUMBER_PATTERN.test(header) ? Number(header) : undefined;
        const leave = eventStreams.enter();
        reply.raw.once('close', leave);
        streamJobEvents(request, reply, jobs, row, fromHeader ?? query.after ?? 0);
        return reply;
      },
    });

    defineRoute(app, catalog, {
      method: 'POST', url: '/jobs/:id/cancel', tags: ['jobs'], params: jobParams,
      summary: 'Asks a job to stop; in a critical stage (firmware or card write) it stops when that stage ends',
      responses: { 202: { description: 'Cancel requested', schema: z.object({ job: jobViewSchema, deferred: z.boolean() }) } },
      handler: async ({ params, operator, reply }) => {
        find(params.id);
        const outcome = jobs.cancel(params.id, operator);
        reply.code(202);
        return { job: jobView(outcome.job, jobs), deferred: outcome.deferred };
      },
    });
  },
};
