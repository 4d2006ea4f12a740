/** Reads a job's server-sent events until `end` (or the stream closes); for the end-to-end tests. */
export interface SseEvent { readonly id?: number; readonly event: string; readonly data: Record<string, unknown> }

export async function readJobEvents(url: string, token: string, onEvent: (event: SseEvent) => void = () => undefined): Promise<SseEvent[]> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200 || !res.body) throw new Error(`SSE ${url}: HTTP ${res.status}`);
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
        if (fields.data === undefined) continue;
        const event: SseEvent = { ...(fields.id ? { id: Number(fields.id) } : {}), event: fields.event ?? 'message', data: JSON.parse(fields.data) as Record<string, unknown> };
        events.push(event);
        onEvent(event);
      }
    }
  } catch {
    // the daemon went away mid-stream (the crash test does that on purpose)
  }
  return events;
}
