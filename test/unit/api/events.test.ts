import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sseMessages, type SseMessage } from '../../../src/cli/sseMessages.js';
import { harness, TOKEN, type Harness } from './apiHarness.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

async function readSse(url: string, headers: Record<string, string>): Promise<SseMessage[]> {
  const res = await fetch(url, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const messages: SseMessage[] = [];
  for await (const message of sseMessages(res.body as unknown as AsyncIterable<Uint8Array>)) messages.push(message);
  return messages;
}

describe('job events over SSE (real socket)', () => {
  it('arrive in order with ids, end with the result, and resume after Last-Event-ID', async () => {
    let port = 0;
    h = await harness({ port: () => port });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    port = (h.app.server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${TOKEN}` };
    const started = await fetch(`${base}/v1/devices/1100000000000001/diagnostics`, { method: 'POST', headers: { ...auth, 'x-operator': 'li' } });
    const { job } = (await started.json()) as { job: { id: string } };
    const events = await readSse(`${base}/v1/jobs/${job.id}/events`, auth);
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    expect(events[0]!.event).toBe('started');
    const end = events.at(-1)!;
    expect(end.event).toBe('end');
    const data = JSON.parse(end.data!) as { state: string; result: { verdict: string } };
    expect(data.state).toBe('succeeded');
    expect(data.result.verdict).toBe('ok');
    const stages = events.filter((e) => e.event === 'stage').map((e) => (JSON.parse(e.data!) as { stage: string }).stage);
    expect(stages).toEqual(['reading', 'judging']);

    const resumed = await readSse(`${base}/v1/jobs/${job.id}/events`, { ...auth, 'last-event-id': String(ids.at(-3)) });
    expect(resumed.map((e) => Number(e.id))).toEqual(ids.slice(-2));
    const afterEnd = await readSse(`${base}/v1/jobs/${job.id}/events`, { ...auth, 'last-event-id': String(ids.at(-1)) });
    expect(afterEnd.map((e) => e.event)).toEqual(['end']);
  });
});
