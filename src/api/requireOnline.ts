import { GatewayError } from '../../contracts/errors/index.js';
import type { ApiContext } from './ApiContext.js';

/** Checks the device is known and online before a job is created for it (DEVICE_NOT_FOUND, DEVICE_BUSY for a device a job owns, DEVICE_IN_BOOTLOADER, DEVICE_OFFLINE). */
export function requireOnline(context: Pick<ApiContext, 'devices'>, id: string): void {
  const device = context.devices.get(id);
  if (!device) throw new GatewayError('DEVICE_NOT_FOUND', { params: { id } });
  // Owned by a job (maintenance, or away and still owned): busy with that job, not offline.
  if (device.jobId !== undefined) {
    throw new GatewayError('DEVICE_BUSY', { params: { deviceId: id, jobId: device.jobId }, data: { jobId: device.jobId } });
  }
  if (device.state === 'bootloader') throw new GatewayError('DEVICE_IN_BOOTLOADER', { params: { id } });
  if (device.state !== 'online') throw new GatewayError('DEVICE_OFFLINE', { params: { id } });
}
