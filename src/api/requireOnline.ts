import { GatewayError } from '../../contracts/errors/index.js';
import type { ApiContext } from './ApiContext.js';

/** Checks the device is known and online before a job is created for it (DEVICE_NOT_FOUND, DEVICE_BUSY for a device a job owns, DEVICE_IN_BOOTLOADER, DEVICE_OFFLINE). */
export function requireOnline(context: Pick<ApiContext, 'devices'>, id: string, options: { readonly bootloaderToo?: boolean } = {}): void {
  const device = context.devices.get(id);
  if (!device) throw new GatewayError('DEVICE_NOT_FOUND', { params: { id } });
  // Owned by a job (maintenance, or away and still owned): busy with that job, not offline.
  if (device.jobId !== undefined) {
    throw new GatewayError('DEVICE_BUSY', { params: { deviceId: id, jobId: device.jobId }, data: { jobId: device.jobId } });
  }
  if (device.state === 'bootloader') {
    // Only a firmware upgrade can be done to a register in its bootloader (GB link SPEC §5.2).
    if (options.bootloaderToo === true) return;
    throw new GatewayError('DEVICE_IN_BOOTLOADER', { params: { id } });
  }
  if (device.state !== 'online') throw new GatewayError('DEVICE_OFFLINE', { params: { id } });
}
