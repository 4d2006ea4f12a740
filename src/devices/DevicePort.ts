import type { CardChannel } from '../../contracts/CardChannel.js';
import type { RegisterIdentity } from './Device.js';
import type { RegisterSession } from './RegisterSession.js';

/** Which register may come back to a waiting lease: the same machine running its application, in its bootloader, or either. */
export type ReattachExpectation = 'application' | 'bootloader' | 'either';

export interface ReattachRequest {
  readonly expect: ReattachExpectation;
  /** When to stop waiting, epoch milliseconds. */
  readonly deadline: number;
  /** Told at least once a second while the device is away (elapsed and allowed milliseconds), so progress never goes silent. */
  readonly onWaiting?: (elapsedMs: number, allowedMs: number) => void;
}

export interface Reattached {
  readonly mode: 'application' | 'bootloader';
  readonly identity: RegisterIdentity;
}

/**
 * One register lent to one borrower. `session` is the link as it is now: after `reattach()` it is a new
 * session over whichever port the register came back on. Nobody else can take the device while it is lent,
 * not even while it is away (rebooting, unplugged, in its bootloader).
 */
export interface BorrowedDevice {
  readonly id: string;
  readonly identity: RegisterIdentity;
  readonly session: RegisterSession;
  /** The card in one of the register's slots, through GB link 59/5A/5B over the current session. */
  slot(which: 'fiscal' | 'user'): CardChannel;
  /**
   * Waits for the register to come back (same machine number; a different machine on the same port never
   * inherits the loan). Rejects with the signal's reason when aborted, DEVICE_REATTACH_TIMEOUT at the deadline.
   */
  reattach(request: ReattachRequest): Promise<Reattached>;
}

/**
 * The one way a service borrows a register: waits for the device (honouring `signal` while it waits), lends it
 * to `fn`, and gives it back on every path. Inside a job, the job's own device is lent without waiting on itself.
 */
export interface DevicePort {
  withDevice<T>(id: string, signal: AbortSignal, fn: (device: BorrowedDevice) => Promise<T>): Promise<T>;
}
