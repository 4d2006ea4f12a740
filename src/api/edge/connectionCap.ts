import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { GatewayError } from '../../../contracts/errors/index.js';
import { RETRY_AFTER_SECONDS } from './EventStreamGate.js';
import { problemHeaders } from './rawProblem.js';

export interface ConnectionCap {
  /** Connections open now. */
  readonly open: number;
  /** Answers 503 TOO_MANY_CONNECTIONS when the request came on a connection over the cap; true when it did. */
  refuse(request: IncomingMessage, response: ServerResponse): boolean;
}

/**
 * Caps the connections `server` serves at `max`. A connection opened beyond it is still read, so that its
 * first request gets a clear answer, 503 TOO_MANY_CONNECTIONS (problem+json, Retry-After) and the connection
 * closed, rather than a silent reset. Past twice the cap Node drops new connections unanswered
 * (`server.maxConnections`), so a flood cannot hold descriptors without bound.
 */
export function capConnections(server: Server, max: number): ConnectionCap {
  let open = 0;
  const over = new WeakSet<Socket>();
  server.maxConnections = max * 2;
  server.on('connection', (socket: Socket) => {
    open += 1;
    if (open > max) over.add(socket);
    socket.once('close', () => { open -= 1; });
  });
  return {
    get open() { return open; },
    refuse(request, response) {
      if (!over.has(request.socket)) return false;
      const { status, headers, body } = problemHeaders(
        new GatewayError('TOO_MANY_CONNECTIONS', { params: { limit: max, retryAfter: RETRY_AFTER_SECONDS } }), RETRY_AFTER_SECONDS);
      request.resume();
      response.writeHead(status, headers).end(body);
      return true;
    },
  };
}
