import type { CardChannel } from '../../../contracts/CardChannel.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { RegisterIdentity } from '../Device.js';
import type { BorrowedDevice, DevicePort, ReattachRequest, Reattached } from '../DevicePort.js';
import type { DeviceRegistry } from '../DeviceRegistry.js';
import type { RegisterSession } from '../RegisterSession.js';
import type { DeviceOwners } from './DeviceOwners.js';
import { currentOwner } from './leaseScope.js';

/** What the port asks of the job runner: to take and give back devices in the registry's own owner table. */
export interface SharesDeviceOwners {
  shareOwners(owners: DeviceOwners): void;
}

/**
 * One register lent: `session` and the slots always go over the link the register answers on now, so a
 * loan outlives a reboot, a port change or the bootloader. Held by the registry's lock until given back.
 */
class Loan implements BorrowedDevice {
  constructor(
    private readonly registry: DeviceRegistry<RegisterSession>,
    readonly id: string,
    private readonly lent: RegisterSession,
    private readonly signal: AbortSignal,
  ) {}

  get identity(): RegisterIdentity {
    const identity = this.registry.get(this.id)?.identity;
    if (identity === undefined) throw new GatewayError('DEVICE_OFFLINE', { params: { id: this.id } });
    return identity;
  }

  get session(): RegisterSession {
    return this.registry.sessionOf(this.id) ?? this.lent;
  }

  slot(which: 'fiscal' | 'user'): CardChannel {
    return {
      description: { kind: 'register-slot', reader: `${this.id}/${which}` },
      transmit: (apdu) => this.session.cardChannel(which).transmit(apdu),
      reset: () => this.session.cardChannel(which).reset(),
    };
  }

  async reattach(request: ReattachRequest): Promise<Reattached> {
    const identity = await this.registry.awaitReturn(this.id, {
      expect: request.expect, deadline: request.deadline, signal: this.signal,
      ...(request.onWaiting === undefined ? {} : { onWaiting: request.onWaiting }),
    });
    return { mode: identity.mode ?? 'application', identity };
  }
}

/**
 * The DevicePort over the device registry. Borrowers inside a job run as that job (src/devices/lease/leaseScope,
 * entered by the job runner): the job's own device is lent to them at once, also while it is in maintenance or
 * its bootloader; anyone else gets DEVICE_BUSY with the job for an owned device, and otherwise waits (honouring
 * the signal) for the borrower before. Pass the job runner so both use the registry's owner table.
 */
export function createDevicePort(registry: DeviceRegistry<RegisterSession>, jobs?: SharesDeviceOwners): DevicePort {
  jobs?.shareOwners(registry.owners);
  return {
    async withDevice<T>(id: string, signal: AbortSignal, fn: (device: BorrowedDevice) => Promise<T>): Promise<T> {
      if (signal.aborted) throw signal.reason;
      const owner = currentOwner();
      const lease = await registry.borrow(id, { signal, ...(owner === undefined ? {} : { owner }) });
      try {
        return await fn(new Loan(registry, id, lease.session, signal));
      } finally {
        lease.release();
      }
    },
  };
}
