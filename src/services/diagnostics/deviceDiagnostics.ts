import { GatewayError } from '../../../contracts/errors/index.js';
import { DEFAULT_REGISTER_UTC_OFFSET_MINUTES, registerInstant } from '../../../protocols/gb-link/registerTimeZone.js';
import type { BorrowedDevice } from '../../devices/DevicePort.js';
import type { DiagnosticsPort } from './DiagnosticsPort.js';


function rejectIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof GatewayError ? signal.reason : new GatewayError('CANCELLED');
}

/**
 * The diagnostics view of a lent register: self-checks 5C–61, status 41, clock 3A over its current session.
 * The clock carries no zone on the wire; it is read in the register time zone setting (SPEC.md §4.1, UTC+8 by
 * default), so a register keeping the configured zone shows its true skew, not the zones' difference.
 */
export function deviceDiagnostics(device: BorrowedDevice, utcOffsetMinutes = DEFAULT_REGISTER_UTC_OFFSET_MINUTES): DiagnosticsPort {
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
      return registerInstant(text, utcOffsetMinutes);
    },
  };
}
