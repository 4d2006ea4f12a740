import type { Logger } from 'pino';
import type { ByteTransport } from '../../contracts/ByteTransport.js';
import type { RegisterIdentity } from '../devices/Device.js';
import type { RegisterLink } from '../devices/registry/RegisterLink.js';
import { RegisterSession } from '../devices/RegisterSession.js';

/** How the registry reaches a register: a RegisterSession per transport; identity from 00 connect + 37 factory data. */
export function registerSessionLink(logger: Logger): RegisterLink<RegisterSession> {
  return {
    createSession: (transport: ByteTransport) => new RegisterSession(transport, { deviceId: transport.description.path, logger }),
    async identify(session: RegisterSession): Promise<RegisterIdentity> {
      await session.connect();
      const factory = await session.factoryData();
      return {
        machineNumber: factory.machineNumber, model: factory.model, hardwareRevision: factory.hardwareRevision,
        firmwareVersion: factory.firmwareVersion, bootloaderVersion: factory.bootloaderVersion,
      };
    },
  };
}
