import { GatewayError } from '../../contracts/errors/index.js';
import { DaemonProblem } from './DaemonProblem.js';
import { sseMessages, type SseMessage } from './sseMessages.js';

export interface DaemonClientOptions {
  readonly url: string;
  /** Called on the first request that needs it: token discovery may depend on the daemon being up. */
  readonly token: () => Promise<string>;
  readonly operator: string;
  readonly language: 'zh-CN' | 'en';
}

/** fiscald's HTTP API as fiscalctl uses it: JSON in and out, problems as DaemonProblem, no daemon as DAEMON_UNREACHABLE. */
export class DaemonClient {
  constructor(private readonly options: DaemonClientOptions) {}

  get url(): string {
    return this.options.url;
  }

  private unreachable(cause: unknown): GatewayError {
    // The system's code (ECONNREFUSED, ENOTFOUND, ETIMEDOUT) when there is one: it reads the same in every language.
    const inner = cause instanceof Error ? (cause.cause as (Error & { code?: unknown }) | undefined) : undefined;
    const detail = typeof inner?.code === 'string' ? inner.code
      : cause instanceof Error ? (inner?.message ?? cause.message) : String(cause);
    return new GatewayError('DAEMON_UNREACHABLE', { params: { url: this.options.url, detail }, cause });
  }

  async health(): Promise<boolean> {
    try {
      const res = await fetch(new URL('/v1/health', this.options.url), { signal: AbortSignal.timeout(3000) });
      return res.ok;
    } catch {
      return false;
    }
  }

  private async send(
    method: string, path: string,
    init: { body?: unknown; bytes?: { data: Uint8Array; contentType: string }; headers?: Record<string, string>; accept?: string; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.options.token()}`,
      'accept-language': this.options.language,
      accept: init.accept ?? 'application/json',
      ...init.headers,
    };
    if (method !== 'GET') headers['x-operator'] = encodeURIComponent(this.options.operator);
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.bytes !== undefined) headers['content-type'] = init.bytes.contentType;
    const body = init.bytes !== undefined ? init.bytes.data : init.body === undefined ? undefined : JSON.stringify(init.body);
    let res: Response;
    try {
      res = await fetch(new URL(path, this.options.url), { method, headers, body, signal: init.signal });
    } catch (cause) {
      if (init.signal?.aborted) throw cause;
      throw this.unreachable(cause);
    }
    if (!res.ok) {
      const text = await res.text();
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { status: res.status, title: text.slice(0, 200) || res.statusText };
      }
      throw new DaemonProblem(res.status, body);
    }
    return res;
  }

  async get<T>(path: string): Promise<T> {
    return (await (await this.send('GET', path)).json()) as T;
  }

  /** The body as text, byte for byte (a CSV export keeps its BOM). */
  async getText(path: string): Promise<string> {
    const bytes = await (await this.send('GET', path, { accept: '*/*' })).arrayBuffer();
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  }

  async post<T>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return (await (await this.send('POST', path, { body, headers })).json()) as T;
  }

  /** POSTs raw bytes (a package file) as `contentType`; the answer is JSON. */
  async postBytes<T>(path: string, data: Uint8Array, contentType = 'application/octet-stream'): Promise<T> {
    return (await (await this.send('POST', path, { bytes: { data, contentType } })).json()) as T;
  }

  async delete<T>(path: string): Promise<T> {
    return (await (await this.send('DELETE', path)).json()) as T;
  }

  /** Reads a text/event-stream until it ends (or `signal` aborts: then the abort's error); each message goes to `onMessage`. */
  async stream(path: string, lastEventId: string | undefined, onMessage: (message: SseMessage) => void, signal?: AbortSignal): Promise<void> {
    const res = await this.send('GET', path, { accept: 'text/event-stream', headers: lastEventId ? { 'last-event-id': lastEventId } : {}, signal });
    if (!res.body) return;
    try {
      for await (const message of sseMessages(res.body as unknown as AsyncIterable<Uint8Array>)) onMessage(message);
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw this.unreachable(cause);
    }
  }
}
