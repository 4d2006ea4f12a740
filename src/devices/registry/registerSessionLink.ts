import type { ByteTransport } from '../../../contracts/ByteTransport.js';
import type { RegisterIdentity } from '../Device.js';
import { RegisterSession, type RegisterSessionOptions } from '../RegisterSession.js';
import type { RegisterLink } from './RegisterLink.js';

/** GB link SPEC §5.2: a register whose 37 says firmware 0.0.0 runs no application: its bootloader answers. */
export const BOOTLOADER_FIRMWARE_VERSION = '0.0.0';

/**
 * The registry's link to real registers: a RegisterSession per transport, identified by 00 connect then 37 factory data,
 * and on first contact the minimum check (41, 38, 3A; 70 asked once for the connection).
 */
export function registerSessionLink(options: RegisterSessionOptions = {}): RegisterLink<RegisterSession> {
  return {
    createSession: (transport: ByteTransport) => new RegisterSession(transport, options),
    async identify(session: RegisterSession): Promise<RegisterIdentity> {
      await session.connect();
      const factory = await session.factoryData();
      const mode = factory.firmwareVersion === BOOTLOADER_FIRMWARE_VERSION ? 'bootloader' : 'application';
      // A register below the minimum of GB link SPEC §5.0 is refused here, naming the command (once per connection; a bootloader only updates firmware).
      if (mode === 'application') await session.requireMinimum();
      return {
        machineNumber: factory.machineNumber,
        model: factory.model,
        hardwareRevision: factory.hardwareRevision,
        firmwareVersion: factory.firmwareVersion,
        bootloaderVersion: factory.bootloaderVersion,
        mode,
      };
    },
  };
}
