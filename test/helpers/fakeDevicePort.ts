import type { CardChannel } from '../../contracts/CardChannel.js';
import { GatewayError } from '../../contracts/errors/index.js';
import type { BorrowedDevice, DevicePort } from '../../src/devices/DevicePort.js';
import type { RegisterSession } from '../../src/devices/RegisterSession.js';

/**
 * A lent register for tests that give the service its own view (a fake BackupPort, DiagnosticsPort…): its id,
 * and a session or slots only when given; anything else touched is a test bug and throws.
 */
export function borrowedDevice(
  id: string, parts: { session?: RegisterSession; identity?: BorrowedDevice['identity']; slot?: (which: 'fiscal' | 'user') => CardChannel } = {},
): BorrowedDevice {
  const missing = (what: string) => new GatewayError('INTERNAL', { params: { detail: `the test lent ${id} without ${what}` } });
  return {
    id,
    get identity(): BorrowedDevice['identity'] {
      if (parts.identity === undefined) throw missing('an identity');
      return parts.identity;
    },
    get session(): RegisterSession {
      if (parts.session === undefined) throw missing('a session');
      return parts.session;
    },
    slot(which) {
      if (parts.slot !== undefined) return parts.slot(which);
      if (parts.session !== undefined) return parts.session.cardChannel(which);
      throw missing('slots');
    },
    reattach: () => Promise.reject(missing('reattach')),
  };
}

/** A DevicePort that lends at once whatever `lend` makes of the id (one borrower at a time is not modelled). */
export function lendingPort(lend: (id: string) => BorrowedDevice = (id) => borrowedDevice(id)): DevicePort {
  return {
    async withDevice(id, signal, fn) {
      if (signal.aborted) throw signal.reason;
      return fn(lend(id));
    },
  };
}
