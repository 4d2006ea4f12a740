import type { DeviceSnapshot } from '../devices/Device.js';
import { fiscalViewOf, type FiscalView } from '../services/diagnostics/deviceFiscalView.js';
import type { Store } from '../store/Store.js';
import { fiscalViewChanges, type StoreChangeCounter } from './fiscalViewChanges.js';

type Device = Pick<DeviceSnapshot, 'id' | 'state' | 'identity'>;

export interface FiscalViewCacheOptions {
  /** Milliseconds, for how often another connection's commits are looked for (tests give their own). */
  readonly now?: () => number;
}

/** How long a write by another connection to the database (not fiscald's own) may go unseen, ms. */
export const FOREIGN_WRITE_CHECK_MS = 250;

/**
 * `fiscalViewOf` per device, kept until something it reads changes. The view reads the device's service records
 * and its newest succeeded diagnosis job; every write to those (by any code of this process: they all go through
 * the store's one connection) bumps a counter from SQLite triggers (fiscalViewChanges.ts), so a request costs a
 * number compare, not a query. A commit by another connection (nothing but fiscald opens the database; a person
 * with sqlite3 might) is caught by PRAGMA data_version, asked at most every FOREIGN_WRITE_CHECK_MS.
 */
export class FiscalViewCache {
  private readonly changes: StoreChangeCounter;
  private readonly now: () => number;
  private readonly views = new Map<string, { state: Device['state']; mode: string | undefined; view: FiscalView }>();
  private seenChanges = -1;
  private seenDataVersion = -1;
  private dataVersionCheckedAt = -Infinity;

  constructor(private readonly store: Store, options: FiscalViewCacheOptions = {}) {
    this.changes = fiscalViewChanges(store.db);
    this.now = options.now ?? (() => performance.now());
  }

  /** Starts one request's reads: whether the store changed is decided once, whatever number of devices follow. */
  reader(): (device: Device) => FiscalView {
    const now = this.now();
    if (now - this.dataVersionCheckedAt >= FOREIGN_WRITE_CHECK_MS) {
      this.dataVersionCheckedAt = now;
      const dataVersion = this.changes.foreignVersion();
      if (dataVersion !== this.seenDataVersion) {
        this.seenDataVersion = dataVersion;
        this.views.clear();
      }
    }
    if (this.changes.count !== this.seenChanges) {
      this.seenChanges = this.changes.count;
      this.views.clear();
    }
    return (device) => {
      // The device's own state decides `bootloader`; the rest comes from the store.
      const mode = device.identity?.mode;
      const cached = this.views.get(device.id);
      if (cached !== undefined && cached.state === device.state && cached.mode === mode) return cached.view;
      const view = fiscalViewOf(device, this.store);
      this.views.set(device.id, { state: device.state, mode, view });
      return view;
    };
  }
}
