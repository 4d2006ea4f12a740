import { connect, type Socket } from 'node:net';

/** What came back on a raw socket: the status line's code, the headers (lower-case names), the body. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  json(): Record<string, unknown> & { code?: string; messages?: Record<string, { title: string }> };
}

export function parseRawAnswer(text: string): RawAnswer {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = split < 0 ? '' : text.slice(split + 4);
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body, json: () => JSON.parse(body) as ReturnType<RawAnswer['json']> };
}

/** Opens a connection to 127.0.0.1:`port`, resolved once connected. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Writes `request` as it is (no client library in between, so malformed and duplicated headers reach the server)
 * and reads until the server closes the connection (every request here asks for `Connection: close`, and every
 * edge refusal closes it). A guard of 10 s turns a hang into a failure rather than a stuck run.
 */
export async function exchange(port: number, request: string | Buffer, socket?: Socket): Promise<RawAnswer> {
  const sock = socket ?? await openSocket(port);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const guard = setTimeout(() => { sock.destroy(); reject(new Error(`no end of answer to ${String(request).slice(0, 80)}: ${Buffer.concat(chunks).toString()}`)); }, 10_000);
    sock.on('data', (chunk: Buffer) => chunks.push(chunk));
    sock.once('close', () => { clearTimeout(guard); resolve(parseRawAnswer(Buffer.concat(chunks).toString('utf8'))); });
    sock.on('error', () => undefined); // a reset after the answer: the answer is what counts
    sock.write(request);
  });
}
