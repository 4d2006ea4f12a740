import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { GatewayError } from '../../contracts/errors/index.js';
import { requireOperator } from './operator.js';
import type { CatalogEntry, RouteCatalog } from './RouteCatalog.js';

type AnyObject = z.ZodObject;

export interface RouteInput<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  readonly params: z.output<P>;
  readonly query: z.output<Q>;
  readonly body: z.output<B>;
  /** Set on state-changing routes (X-Operator is then required). */
  readonly operator: string;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the plugin's prefix, fastify syntax (`/devices/:id`). */
  readonly url: string;
  readonly summary: string;
  readonly tags?: readonly string[];
  readonly open?: boolean;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** The media type of a body that is not JSON (an upload kept as a stream by the route's own parser). */
  readonly bodyContentType?: string;
  readonly responses?: CatalogEntry['responses'];
  readonly headers?: CatalogEntry['headers'];
  /** Defaults to every method but GET: requires X-Operator. */
  readonly stateChanging?: boolean;
  /** Per-route body limit in bytes (the server default otherwise). */
  readonly bodyLimit?: number;
  readonly handler: (input: RouteInput<P, Q, B>) => Promise<unknown>;
}

function describeIssues(error: z.ZodError, where: string): GatewayError {
  const issues = error.issues.map((issue) => ({ where, path: issue.path.join('.'), message: issue.message }));
  const detail = issues.map((i) => `${i.where}${i.path ? `.${i.path}` : ''}: ${i.message}`).join('; ');
  return new GatewayError('VALIDATION_FAILED', { params: { detail }, data: { issues } });
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> {
  if (!schema) {
    const empty = value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0);
    if (!empty) throw new GatewayError('VALIDATION_FAILED', { params: { detail: `${where}: this endpoint takes none` } });
    return {} as z.output<T>;
  }
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!result.success) throw describeIssues(result.error, where);
  return result.data;
}

/**
 * Registers one route whose params, query and body are checked by zod (unknown fields refused by the
 * strict schemas the routes use), and records it for the OpenAPI document.
 */
export function defineRoute<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
  app: FastifyInstance, catalog: RouteCatalog, spec: RouteSpec<P, Q, B>,
): void {
  const stateChanging = spec.stateChanging ?? spec.method !== 'GET';
  const fullUrl = `${app.prefix}${spec.url}`;
  catalog.add({
    method: spec.method, url: fullUrl, summary: spec.summary, tags: spec.tags ?? [], open: spec.open ?? false,
    params: spec.params, query: spec.query, body: spec.body,
    ...(spec.bodyContentType === undefined ? {} : { bodyContentType: spec.bodyContentType }),
    responses: spec.responses ?? { 200: { description: 'OK' } },
    headers: [
      ...(stateChanging ? [{ name: 'X-Operator', description: 'Operator name, percent-encoded UTF-8', required: true }] : []),
      ...(spec.headers ?? []),
    ],
  });
  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.bodyLimit === undefined ? {} : { bodyLimit: spec.bodyLimit }),
    handler: async (request, reply) => {
      const input: RouteInput<P, Q, B> = {
        params: parse(spec.params, request.params, 'params'),
        query: parse(spec.query, request.query, 'query'),
        body: parse(spec.body, request.body, 'body'),
        operator: stateChanging ? requireOperator(request) : '',
        request,
        reply,
      };
      return spec.handler(input);
    },
  });
}
