export interface SseMessage {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/** One block of a text/event-stream (fields up to a blank line); undefined for a comment or `retry:` only block. */
function parseBlock(block: string): SseMessage | undefined {
  const message: { id?: string; event: string; data: string[] } = { event: 'message', data: [] };
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') message.id = value;
    else if (field === 'event') message.event = value;
    else if (field === 'data') message.data.push(value);
  }
  return message.data.length === 0 ? undefined : { ...(message.id === undefined ? {} : { id: message.id }), event: message.event, data: message.data.join('\n') };
}

/** The messages of a text/event-stream body as they arrive (CRLF or LF line ends; comments and heartbeats skipped). */
export async function* sseMessages(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let carriageReturn = '';
  for await (const chunk of body) {
    // A CR at the end of a chunk may be the first half of a CRLF: it waits for the next chunk.
    const text = carriageReturn + decoder.decode(chunk, { stream: true });
    carriageReturn = text.endsWith('\r') ? '\r' : '';
    buffer += (carriageReturn ? text.slice(0, -1) : text).replace(/\r\n?/g, '\n');
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const message = parseBlock(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
      if (message) yield message;
    }
  }
}
