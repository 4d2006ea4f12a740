import { maxHeaderSize, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayError } from '../../../contracts/errors/index.js';
import { problemHeaders, rawProblemResponse } from './rawProblem.js';

/** What the parser's error means in the catalogue; undefined when there is nobody left to answer. */
export function clientErrorProblem(error: NodeJS.ErrnoException): GatewayError | undefined {
  switch (error.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined;
    case 'HPE_HEADER_OVERFLOW':
      return new GatewayError('HEADERS_TOO_LARGE', { params: { limit: maxHeaderSize } });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new GatewayError('REQUEST_TIMEOUT');
    default:
      return new GatewayError('MALFORMED_HTTP', { params: { detail: /^HPE_[A-Z_]+$/.test(error.code ?? '') ? error.code! : 'unreadable request' } });
  }
}

type ParserSocket = Duplex & { _httpMessage?: { headersSent?: boolean } };

/**
 * The server's 'clientError' listener: a request Node's parser refused (malformed, headers over the limit,
 * too slow) is answered problem+json on the socket, which is then closed. Node would answer a bare 400 or 431;
 * nothing about the routes is revealed, the request never having been read.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const problem = clientErrorProblem(error);
  const sock = socket as ParserSocket;
  if (problem !== undefined && sock.writable && !sock.destroyed && sock._httpMessage?.headersSent !== true) {
    // end, not destroy: a reset could reach the client before the answer; a second error on it finds it unwritable.
    sock.end(rawProblemResponse(problem));
    return;
  }
  sock.destroy();
}

/**
 * The server's 'connect' listener: CONNECT (a proxy tunnel) is refused problem+json rather than by Node closing the
 * connection unanswered.
 */
export function answerConnect(_request: unknown, socket: Duplex): void {
  socket.end(rawProblemResponse(new GatewayError('REQUEST_TARGET_UNSUPPORTED')));
}

/** The server's 'checkExpectation' listener: an Expect other than 100-continue is 417 problem+json (Node sends it bare). */
export function answerExpectation(request: IncomingMessage, response: ServerResponse): void {
  const { status, headers, body } = problemHeaders(new GatewayError('EXPECTATION_FAILED', { params: { expect: String(request.headers.expect ?? '').slice(0, 100) } }));
  request.resume();
  response.writeHead(status, headers).end(body);
}

/** Installs the three listeners on a server fiscald answers on. */
export function answerNodeRefusals(server: Server): void {
  server.on('clientError', answerClientError);
  server.on('connect', answerConnect);
  server.on('checkExpectation', answerExpectation);
}
