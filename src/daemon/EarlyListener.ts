import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../../contracts/errors/index.js';
import { answerNodeRefusals } from '../api/edge/clientErrors.js';
import { capConnections, type ConnectionCap } from '../api/edge/connectionCap.js';
import { problemHeaders } from '../api/edge/rawProblem.js';
import { hostName } from './listenAddress.js';

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** Default cap on connections open at once (config `limits.connections`). */
export const DEFAULT_MAX_CONNECTIONS = 128;

function answerShuttingDown(request: IncomingMessage, response: ServerResponse): void {
  const { status, headers, body } = problemHeaders(new GatewayError('SHUTTING_DOWN'));
  request.resume();
  response.writeHead(status, headers).end(body);
}

/**
 * fiscald's HTTP server, bound before any register or card reader is opened: a port another program holds is
 * then refused at once (LISTEN_ADDRESS_IN_USE), not after the devices were touched. Requests that arrive
 * while the daemon is still starting wait until the API is ready (`serve`); the API then runs on this
 * server (fastify's `serverFactory`).
 */
export class EarlyListener {
  private handler: RequestHandler | undefined;
  private stopping = false;
  private readonly waiting: [IncomingMessage, ServerResponse][] = [];
  private readonly connections: ConnectionCap;

  private constructor(readonly server: Server, maxConnections: number) {
    this.connections = capConnections(server, maxConnections);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (this.connections.refuse(request, response)) return;
      if (this.stopping) answerShuttingDown(request, response);
      else if (this.handler !== undefined) this.handler(request, response);
      else this.waiting.push([request, response]);
    });
  }

  /**
   * Binds `host:port` (0: any free port). From the first byte, a request Node's parser refuses is answered
   * problem+json (clientError, CONNECT, an unknown Expect), and HTTP/1.1 without Host is left to the API's Host check (403) instead of
   * Node's bare 400.
   */
  static async bind(host: string, port: number, limits: { maxConnections?: number } = {}): Promise<EarlyListener> {
    const server = createServer({ requireHostHeader: false });
    answerNodeRefusals(server);
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) => {
        server.off('listening', listening);
        reject(listenError(error, host, port));
      };
      const listening = () => {
        server.off('error', failed);
        resolve();
      };
      server.once('error', failed);
      server.once('listening', listening);
      server.listen({ host, port });
    });
    return new EarlyListener(server, limits.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Hands every request, those that waited first, to the API. */
  serve(handler: RequestHandler): void {
    this.handler = handler;
    for (const [request, response] of this.waiting.splice(0)) handler(request, response);
  }

  /** Connections open now. */
  get openConnections(): number {
    return this.connections.open;
  }

  /** From now on every request is answered 503 SHUTTING_DOWN (the API is being closed). */
  stopServing(): void {
    this.stopping = true;
  }

  /** Stops listening and ends every connection; requests still waiting are answered 503 SHUTTING_DOWN. */
  async close(): Promise<void> {
    this.stopping = true;
    for (const [request, response] of this.waiting.splice(0)) answerShuttingDown(request, response);
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => resolve());
    });
    this.server.closeAllConnections();
    await closed;
  }
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): GatewayError {
  const address = `${hostName(host)}:${port}`;
  if (error.code === 'EADDRINUSE') return new GatewayError('LISTEN_ADDRESS_IN_USE', { params: { address }, cause: error });
  return new GatewayError('LISTEN_FAILED', { params: { address, detail: error.code ?? error.message }, cause: error });
}
