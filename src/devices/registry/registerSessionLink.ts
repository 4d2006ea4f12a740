import type { ByteTransport } from '../../../contracts/ByteTransport.js';
import type { RegisterIdentity } from '../Device.js';
import { RegisterSession, type RegisterSessionOptions } from '../RegisterSession.js';
import type { RegisterLink } from './RegisterLink.js';

/** GB link SPEC §5.2: a register whose 37 says firmware 0.0.0 runs no application: its bootloader answers. */
export const BOOTLOADER_FIRMWARE_VERSION = '0.0.0';

/** The registry's link to real registers: a RegisterSession per transport, identified by 00 connect then 37 factory data. */
export function registerSessionLink(options: RegisterSessionOptions = {}): RegisterLink<RegisterSession> {
  return {
    createSession: (transport: ByteTransport) => new RegisterSession(transport, options),
    async identify(session: RegisterSession): Promise<RegisterIdentity> {
      await session.connect();
      const factory = await session.factoryData();
      return {
        machineNumber: factory.machineNumber,
        model: factory.model,
        hardwareRevision: factory.hardwareRevision,
        firmwareVersion: factory.firmwareVersion,
        bootloaderVersion: factory.bootloaderVersion,
        mode: factory.firmwareVersion === BOOTLOADER_FIRMWARE_VERSION ? 'bootloader' : 'application',
      };
    },
  };
}
