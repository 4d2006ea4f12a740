import { describe, expect, it } from 'vitest';
import { sseMessages } from '../../../src/cli/sseMessages.js';

async function* chunks(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function all(text: string, size: number) {
  const out = [];
  for await (const message of sseMessages(chunks(text, size))) out.push(message);
  return out;
}

describe('sseMessages', () => {
  const stream = 'retry: 2000\n\n: keep-alive\n\nid: 1\nevent: started\ndata: {"a":"进度"}\n\nid: 2\r\nevent: progress\r\ndata: line1\r\ndata: line2\r\n\r\nevent: end\ndata:{"state":"succeeded"}\n\n';
  it('gives the messages in order, whatever the chunking (CJK split across chunks, CRLF, comments, retry)', async () => {
    const expected = [
      { id: '1', event: 'started', data: '{"a":"进度"}' },
      { id: '2', event: 'progress', data: 'line1\nline2' },
      { event: 'end', data: '{"state":"succeeded"}' },
    ];
    for (const size of [1, 2, 3, 7, 1000]) expect(await all(stream, size), `chunks of ${size}`).toEqual(expected);
  });

  it('keeps an unfinished last block back', async () => {
    expect(await all('id: 1\ndata: x\n\nid: 2\ndata: y\n', 4)).toEqual([{ id: '1', event: 'message', data: 'x' }]);
  });
});
