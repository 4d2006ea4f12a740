/** One job per device: the lock maps a device id to the job that holds it. */
export class DeviceLocks {
  private readonly holders = new Map<string, string>();

  /** Takes the device for `jobId`; returns the id of the job already holding it, or undefined on success. */
  tryAcquire(deviceId: string, jobId: string): string | undefined {
    const holder = this.holders.get(deviceId);
    if (holder !== undefined) return holder;
    this.holders.set(deviceId, jobId);
    return undefined;
  }

  release(deviceId: string, jobId: string): void {
    if (this.holders.get(deviceId) === jobId) this.holders.delete(deviceId);
  }

  holder(deviceId: string): string | undefined {
    return this.holders.get(deviceId);
  }
}
