import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../../contracts/errors/index.js';
import { hostName } from './listenAddress.js';

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * fiscald's HTTP server, bound before any register or card reader is opened: a port another program holds is
 * then refused at once (LISTEN_ADDRESS_IN_USE), not after the devices were touched. Requests that arrive
 * while the daemon is still starting wait until the API is ready (`serve`); the API then runs on this
 * server (fastify's `serverFactory`).
 */
export class EarlyListener {
  private handler: RequestHandler | undefined;
  private readonly waiting: [IncomingMessage, ServerResponse][] = [];

  private constructor(readonly server: Server) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (this.handler !== undefined) this.handler(request, response);
      else this.waiting.push([request, response]);
    });
  }

  /** Binds `host:port` (0: any free port). */
  static async bind(host: string, port: number): Promise<EarlyListener> {
    const server = createServer();
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
    return new EarlyListener(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Hands every request, those that waited first, to the API. */
  serve(handler: RequestHandler): void {
    this.handler = handler;
    for (const [request, response] of this.waiting.splice(0)) handler(request, response);
  }

  /** Stops listening and ends every connection; requests still waiting are answered 503. */
  async close(): Promise<void> {
    for (const [, response] of this.waiting.splice(0)) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('fiscald is stopping\n');
    }
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
