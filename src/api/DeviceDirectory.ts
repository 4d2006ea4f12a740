import type { DeviceSnapshot } from '../devices/Device.js';

/**
 * What the API needs from the device registry: cheap snapshots, never touching hardware, so that
 * `GET /v1/devices` answers at once even while a device is busy.
 */
export interface DeviceDirectory {
  list(): readonly DeviceSnapshot[];
  get(id: string): DeviceSnapshot | undefined;
}
