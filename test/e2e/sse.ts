import { sseMessages } from '../../src/cli/sseMessages.js';

/** Reads a job's server-sent events until `end` (or the stream closes); for the end-to-end tests. */
export interface SseEvent { readonly id?: number; readonly event: string; readonly data: Record<string, unknown> }

export async function readJobEvents(url: string, token: string, onEvent: (event: SseEvent) => void = () => undefined): Promise<SseEvent[]> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200 || !res.body) throw new Error(`SSE ${url}: HTTP ${res.status}`);
  const events: SseEvent[] = [];
  try {
    for await (const message of sseMessages(res.body as unknown as AsyncIterable<Uint8Array>)) {
      const event: SseEvent = { ...(message.id ? { id: Number(message.id) } : {}), event: message.event, data: JSON.parse(message.data) as Record<string, unknown> };
      events.push(event);
      onEvent(event);
    }
  } catch {
    // the daemon went away mid-stream (the crash test does that on purpose)
  }
  return events;
}
