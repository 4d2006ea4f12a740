import { GatewayError } from '../../contracts/errors/index.js';
import type { ApiContext } from './ApiContext.js';

/** Checks the device is known and online before a job is created for it (DEVICE_NOT_FOUND, DEVICE_OFFLINE). */
export function requireOnline(context: Pick<ApiContext, 'devices'>, id: string): void {
  const device = context.devices.get(id);
  if (!device) throw new GatewayError('DEVICE_NOT_FOUND', { params: { id } });
  if (device.state !== 'online') throw new GatewayError('DEVICE_OFFLINE', { params: { id } });
}
