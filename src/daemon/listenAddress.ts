import { isIP } from 'node:net';
import { GatewayError } from '../../contracts/errors/index.js';

export interface ListenAddress {
  /** As given to listen(): `127.0.0.1`, `::1`, `0.0.0.0`… */
  readonly host: string;
  readonly port: number;
}

/** `HOST:PORT`, with IPv6 in brackets (`[::1]:18240`). */
export function parseListen(text: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new GatewayError('CONFIG_INVALID', { params: { detail: `listen "${text}" is not HOST:PORT (IPv6 as [::1]:PORT)` } });
  }
  const host = match[1] ?? match[2]!;
  if (match[1] !== undefined && isIP(host) !== 6) throw new GatewayError('CONFIG_INVALID', { params: { detail: `listen "${text}": bad IPv6 address` } });
  return { host, port };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** The Host-header name a client uses for this address (brackets for IPv6). */
export function hostName(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}
