import { z } from 'zod';

export interface CatalogEntry {
  readonly method: string;
  /** Full path in fastify syntax (`/v1/devices/:id`). */
  readonly url: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly open: boolean;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** A body that is not JSON (a file upload): documented as binary of this media type. */
  readonly bodyContentType?: string;
  readonly responses: Readonly<Record<number, { description: string; schema?: z.ZodType; contentType?: string }>>;
  readonly headers?: readonly { name: string; description: string; required?: boolean }[];
}

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

/** Every route registered through `defineRoute`, so that /v1/openapi.json is built from the same zod schemas. */
export class RouteCatalog {
  private readonly entries: CatalogEntry[] = [];

  add(entry: CatalogEntry): void {
    this.entries.push(entry);
  }

  /** Every query parameter name some route takes (what the log may show the value of). */
  queryNames(): Set<string> {
    return new Set(this.entries.flatMap((entry) => Object.keys(entry.query?.shape ?? {})));
  }

  /** Whether `url` (fastify syntax, prefix included) is documented for `method`. */
  has(method: string, url: string): boolean {
    return this.entries.some((entry) => entry.method === method && entry.url === url);
  }

  /** The methods documented for a concrete request path (`/v1/jobs/abc`), for 405 answers; empty when no route has that path. */
  methodsFor(path: string): string[] {
    const segments = path.split('/');
    const matches = (url: string) => {
      const pattern = url.split('/');
      return pattern.length === segments.length && pattern.every((part, i) => part.startsWith(':') ? segments[i] !== '' : part === segments[i]);
    };
    return [...new Set(this.entries.filter((entry) => matches(entry.url)).map((entry) => entry.method))];
  }

  openApi(version: string): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const entry of this.entries) {
      const path = entry.url.replace(/:(\w+)/g, '{$1}');
      const parameters: unknown[] = [];
      for (const [where, schema] of [['path', entry.params], ['query', entry.query]] as const) {
        if (!schema) continue;
        for (const [name, field] of Object.entries(schema.shape)) {
          parameters.push({ name, in: where, required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success, schema: jsonSchema(field as z.ZodType) });
        }
      }
      for (const header of entry.headers ?? []) {
        parameters.push({ name: header.name, in: 'header', required: header.required ?? false, description: header.description, schema: { type: 'string' } });
      }
      const responses: Record<string, unknown> = {};
      for (const [status, response] of Object.entries(entry.responses)) {
        responses[status] = {
          description: response.description,
          ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: jsonSchema(response.schema) } } } : {}),
        };
      }
      responses.default = { description: 'An error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
      (paths[path] ??= {})[entry.method.toLowerCase()] = {
        summary: entry.summary,
        tags: entry.tags,
        ...(entry.open ? { security: [] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(entry.body ? {
          requestBody: {
            required: !entry.body.safeParse(undefined).success,
            content: entry.bodyContentType
              ? { [entry.bodyContentType]: { schema: { type: 'string', format: 'binary' } } }
              : { 'application/json': { schema: jsonSchema(entry.body) } },
          },
        } : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: 'fiscald', version, description: 'Local API of the fiscal-gateway daemon (GB18240 registers and their IC cards).' },
      servers: [{ url: 'http://127.0.0.1:18240' }],
      security: [{ bearer: [] }],
      paths,
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token in <data-dir>/token' } },
        schemas: {
          Problem: {
            type: 'object',
            required: ['type', 'status', 'code', 'title', 'messages'],
            properties: {
              type: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' },
              title: { type: 'string' }, detail: { type: 'string' }, instance: { type: 'string' },
              messages: { type: 'object', additionalProperties: { type: 'object', properties: { title: { type: 'string' }, detail: { type: 'string' } } } },
            },
          },
        },
      },
    };
  }
}
