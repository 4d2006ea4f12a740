import { currentLanguage, localized } from './catalogue.js';

/** The API as the page reaches it: the session cookie goes along by itself; writes carry the CSRF token. */
let csrf = '';
let operator = '';

export function setOperator(name: string): void {
  operator = name.trim();
}

export function currentOperator(): string {
  return operator;
}

export class ApiProblem extends Error {
  constructor(readonly status: number, readonly code: string, readonly body: Record<string, unknown>) {
    super(code);
  }

  /** The problem's title and detail in the page's language (the API sends both). */
  text(): string {
    const messages = this.body.messages as Record<string, { title?: string; detail?: string }> | undefined;
    const own = messages?.[currentLanguage()];
    const title = own?.title ?? String(this.body.title ?? this.code);
    const detail = own?.detail ?? '';
    return detail ? `${title}。${detail}` : title;
  }
}

export async function startSession(): Promise<boolean> {
  const response = await fetch('/console/session', { cache: 'no-store' });
  if (!response.ok) return false;
  csrf = ((await response.json()) as { csrf: string }).csrf;
  return true;
}

export async function loginWithToken(token: string): Promise<boolean> {
  const response = await fetch('/console/session', { method: 'POST', headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  if (!response.ok) return false;
  csrf = ((await response.json()) as { csrf: string }).csrf;
  return true;
}

export async function logout(): Promise<void> {
  await fetch('/console/session', { method: 'DELETE', headers: { 'x-csrf-token': csrf } });
  csrf = '';
}

function headers(write: boolean): Record<string, string> {
  const result: Record<string, string> = { 'accept-language': currentLanguage() };
  if (write) {
    result['x-csrf-token'] = csrf;
    result['content-type'] = 'application/json';
    if (operator) result['x-operator'] = encodeURIComponent(operator);
  }
  return result;
}

async function answer<T>(response: Response): Promise<T> {
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? ((await response.json()) as Record<string, unknown>) : {};
  if (!response.ok) throw new ApiProblem(response.status, String(body.code ?? response.status), body);
  return body as T;
}

export async function get<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { headers: headers(false), cache: 'no-store' }));
}

export async function post<T>(path: string, body: unknown = {}): Promise<T> {
  return answer<T>(await fetch(path, { method: 'POST', headers: headers(true), body: JSON.stringify(body), cache: 'no-store' }));
}

/** Sends a file's bytes as application/octet-stream (a firmware package upload). */
export async function postBytes<T>(path: string, data: ArrayBuffer): Promise<T> {
  const own = headers(true);
  own['content-type'] = 'application/octet-stream';
  return answer<T>(await fetch(path, { method: 'POST', headers: own, body: data, cache: 'no-store' }));
}

export async function remove<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { method: 'DELETE', headers: headers(true), cache: 'no-store' }));
}

export async function getText(path: string): Promise<string> {
  const response = await fetch(path, { headers: headers(false), cache: 'no-store' });
  if (!response.ok) throw new ApiProblem(response.status, String(response.status), {});
  return response.text();
}

export function problemText(error: unknown): string {
  if (error instanceof ApiProblem) return error.text();
  return localized({ 'zh-CN': '与网关的连接中断。', en: `Lost the connection to the gateway. ${error instanceof Error ? error.message : ''}` });
}

/** Server-sent events of one job, read with fetch (the cookie goes along); resumes after the last id. */
export async function followEvents(path: string, onEvent: (event: string, data: unknown) => void, signal: AbortSignal): Promise<void> {
  let lastId = 0;
  for (let attempt = 0; attempt < 5 && !signal.aborted; attempt += 1) {
    const response = await fetch(path + (lastId > 0 ? `?after=${lastId}` : ''), { headers: { accept: 'text/event-stream' }, signal, cache: 'no-store' });
    if (!response.ok || !response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data += line.slice(5).trim();
          else if (line.startsWith('id:') && /^\d+$/.test(line.slice(3).trim())) lastId = Number(line.slice(3).trim());
        }
        let parsed: unknown = data;
        try { parsed = JSON.parse(data); } catch { /* plain text */ }
        onEvent(event, parsed);
        if (event === 'end') return;
      }
    }
  }
}
