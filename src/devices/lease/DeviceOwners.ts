import type { Unsubscribe } from '../../../contracts/ByteTransport.js';

/**
 * Who owns each device: one owner (a job id) per device, for as long as the job lives, whether the device
 * answers, reboots or is away. The job runner takes and gives back ownership; the registry shows an owned
 * device in maintenance (or offline/bootloader while away) and lends it to its owner only.
 */
export class DeviceOwners {
  private readonly holders = new Map<string, string>();
  private readonly listeners = new Set<(deviceId: string, owner: string | undefined) => void>();

  /** Takes the device for `owner`; the owner already holding it is returned (undefined on success, also when `owner` holds it). */
  tryAcquire(deviceId: string, owner: string): string | undefined {
    const holder = this.holders.get(deviceId);
    if (holder === owner) return undefined;
    if (holder !== undefined) return holder;
    this.holders.set(deviceId, owner);
    this.tell(deviceId, owner);
    return undefined;
  }

  release(deviceId: string, owner: string): void {
    if (this.holders.get(deviceId) !== owner) return;
    this.holders.delete(deviceId);
    this.tell(deviceId, undefined);
  }

  holder(deviceId: string): string | undefined {
    return this.holders.get(deviceId);
  }

  /** Told after every change of owner (undefined: the device is free again). */
  onChange(listener: (deviceId: string, owner: string | undefined) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(deviceId: string, owner: string | undefined): void {
    for (const listener of [...this.listeners]) listener(deviceId, owner);
  }
}
