import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DeviceRegistry } from '../../devices/DeviceRegistry.js';
import type { PcscSource } from '../../devices/readers/PcscCardReaders.js';
import { ReaderDirectory } from '../../devices/readers/ReaderDirectory.js';
import type { RegisterSession } from '../../devices/RegisterSession.js';
import { ConfirmationTokens } from '../../services/initialize/ConfirmationTokens.js';
import { initializationAccess } from '../../services/initialize/InitializationAccess.js';
import type { InitializationDeps } from '../../services/initialize/initializeRegister.js';
import { FilePendingInitializations, MemoryPendingInitializations } from '../../services/initialize/PendingInitializations.js';
import { DEFAULT_REGISTER_UTC_OFFSET_MINUTES } from '../../services/initialize/registerTime.js';
import type { ApiPlugin } from '../ApiContext.js';
import { initializeRoutes } from './initializeRoutes.js';
import { readersRoutes } from './readersRoutes.js';

export interface InitializeAreaOptions {
  readonly registry: DeviceRegistry<RegisterSession>;
  /** Where an interrupted initialization's PIN is kept until the register holds it (`<dataDir>/initialize`, 0700/0600); memory when absent. */
  readonly dataDir?: string;
  /** PC/SC readers (`lazyPcsc()`); none when absent. */
  readonly pcsc?: () => Promise<PcscSource | undefined>;
  readonly clockToleranceSeconds?: number;
  readonly utcOffsetMinutes?: number;
  readonly tokenTtlMs?: number;
  readonly logger?: Logger;
  /** The job holding a register: its slots are then reported busy with it at once instead of waited for. */
  readonly busyWith?: (deviceId: string) => string | undefined;
}

/**
 * The card-reading and initialization areas of the API over the daemon's device registry:
 * `GET /v1/readers`, `GET /v1/readers/{reader}/card`, `POST /v1/devices/{id}/initialize`.
 * The daemon adds the returned plugins to its list.
 */
export function initializeArea(options: InitializeAreaOptions): ApiPlugin[] {
  const readers = new ReaderDirectory({
    registers: options.registry,
    ...(options.pcsc === undefined ? {} : { pcsc: options.pcsc }),
    ...(options.busyWith === undefined ? {} : { busyWith: options.busyWith }),
  });
  const deps: InitializationDeps = {
    pending: options.dataDir === undefined ? new MemoryPendingInitializations() : new FilePendingInitializations(join(options.dataDir, 'initialize')),
    tokens: new ConfirmationTokens({ ttlMs: options.tokenTtlMs ?? 5 * 60_000 }),
    settings: {
      clockToleranceSeconds: options.clockToleranceSeconds ?? 300,
      utcOffsetMinutes: options.utcOffsetMinutes ?? DEFAULT_REGISTER_UTC_OFFSET_MINUTES,
      ...(options.logger === undefined ? {} : { card: { logger: options.logger.child({ area: 'cards' }) } }),
    },
  };
  const access = initializationAccess({
    withSession: (deviceId, work) => options.registry.withSession(deviceId, work),
    withPcscChannels: (deviceId, names, work) => readers.withPcscChannels(deviceId, names, work),
  });
  return [readersRoutes(readers), initializeRoutes(access, deps)];
}
