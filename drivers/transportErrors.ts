import { GatewayError } from '../contracts/errors/index.js';

function detailOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** TRANSPORT_OPEN_FAILED for a device that could not be opened or claimed. */
export function openFailed(path: string, cause: unknown): GatewayError {
  return new GatewayError('TRANSPORT_OPEN_FAILED', { params: { path, detail: detailOf(cause) }, cause });
}

/** What a transport closes with after a read or write failed: unplugged when its device is no longer listed. */
export function ioFailure(path: string, cause: unknown, stillPresent: boolean): GatewayError {
  return stillPresent
    ? new GatewayError('TRANSPORT_IO_FAILED', { params: { path, detail: detailOf(cause) }, cause })
    : new GatewayError('TRANSPORT_UNPLUGGED', { params: { path }, cause });
}

/** What a write on a transport that is not open meets. */
export function notOpen(path: string, unplugged: boolean): GatewayError {
  return new GatewayError(unplugged ? 'TRANSPORT_UNPLUGGED' : 'TRANSPORT_CLOSED', { params: { path } });
}
