import type { Statement } from 'better-sqlite3';
import type { DeviceSnapshot } from '../devices/Device.js';
import { fiscalViewOf, type FiscalView } from '../services/diagnostics/deviceFiscalView.js';
import type { Store } from '../store/Store.js';

type Device = Pick<DeviceSnapshot, 'id' | 'state' | 'identity'>;

/**
 * `fiscalViewOf` per device, kept until the store's service records change. The view reads the device's records
 * and its newest succeeded diagnosis; a job ends (its state, its result) only in the transaction that inserts its
 * service record, records are otherwise only posted or swept, and ids are AUTOINCREMENT (never reused): so the
 * records' highest id and their count change whenever anything the view reads does. One indexed query per
 * request instead of two prepared-and-parsed scans per device (GET /v1/devices, GET /v1/devices/:id).
 */
export class FiscalViewCache {
  private readonly version: Statement<[], { top: number | null; count: number }>;
  private readonly views = new Map<string, { key: string; view: FiscalView }>();
  private storeVersion = '';

  constructor(private readonly store: Store) {
    this.version = store.db.prepare('SELECT max(id) AS top, count(*) AS count FROM service_records');
  }

  /** Starts one request's reads: the store's version is read once, whatever number of devices follow. */
  reader(): (device: Device) => FiscalView {
    const { top, count } = this.version.get()!;
    const storeVersion = `${top ?? 0}/${count}`;
    if (storeVersion !== this.storeVersion) {
      this.views.clear();
      this.storeVersion = storeVersion;
    }
    return (device) => {
      // The device's own state decides `bootloader`; the rest comes from the store.
      const key = `${device.state}/${device.identity?.mode ?? ''}`;
      const cached = this.views.get(device.id);
      if (cached !== undefined && cached.key === key) return cached.view;
      const view = fiscalViewOf(device, this.store);
      this.views.set(device.id, { key, view });
      return view;
    };
  }
}
