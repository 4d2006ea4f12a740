import { GatewayError } from '../../../contracts/errors/index.js';
import type { BorrowedDevice } from '../../devices/DevicePort.js';
import type { DiagnosticsPort } from './DiagnosticsPort.js';

/**
 * GB18240 registers keep Beijing time without a zone on the wire (3A); the gateway reads it as UTC+8.
 * A register set to another zone would show as clock skew, which is what a technician should see.
 */
const REGISTER_UTC_OFFSET = '+08:00';

function rejectIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof GatewayError ? signal.reason : new GatewayError('CANCELLED');
}

/** The diagnostics view of a lent register: self-checks 5C–61, status 41, clock 3A over its current session. */
export function deviceDiagnostics(device: BorrowedDevice): DiagnosticsPort {
  return {
    get machineNumber() { return device.identity.machineNumber; },
    async selfCheck(name, signal) {
      rejectIfAborted(signal);
      const result = await device.session.selfCheck(name);
      return result.result === 0
        ? { passed: true }
        : { passed: false, code: `0x${result.result.toString(16).padStart(2, '0')}`, detail: result.detail };
    },
    async status(signal) {
      rejectIfAborted(signal);
      const status = await device.session.status();
      return {
        initialized: status.initialized,
        fiscalCardPresent: status.fiscalSlot !== 'empty',
        userCardPresent: status.userSlot !== 'empty',
        locks: status.locks,
        awaitingControlUpdate: status.awaitingControlUpdate,
        raw: status as unknown as Record<string, unknown>,
      };
    },
    async clock(signal) {
      rejectIfAborted(signal);
      const text = await device.session.dateTime();
      return new Date(`${text}${REGISTER_UTC_OFFSET}`);
    },
  };
}
