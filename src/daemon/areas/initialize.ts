import { join } from 'node:path';
import { initializeRoutes } from '../../api/routes/initializeRoutes.js';
import { readersRoutes } from '../../api/routes/readersRoutes.js';
import type { PcscSource } from '../../devices/readers/PcscCardReaders.js';
import { ReaderDirectory } from '../../devices/readers/ReaderDirectory.js';
import { ConfirmationTokens } from '../../services/initialize/ConfirmationTokens.js';
import type { InitializationDeps } from '../../services/initialize/initializeRegister.js';
import { FilePendingInitializations } from '../../services/initialize/PendingInitializations.js';
import { DEFAULT_REGISTER_UTC_OFFSET_MINUTES } from '../../services/initialize/registerTime.js';
import type { Area, AreaDeps } from './Area.js';

export interface InitializeAreaOptions {
  /** PC/SC readers (`lazyPcsc()`, or the simulation's); none when absent. */
  readonly pcsc?: () => Promise<PcscSource | undefined>;
  readonly clockToleranceSeconds?: number;
  readonly utcOffsetMinutes?: number;
  readonly tokenTtlMs?: number;
}

/**
 * Card reading and initialization: `GET /v1/readers`, `GET /v1/readers/{reader}/card` (the reader port, the
 * reader directory: PC/SC readers and register slots; a slot of a register a job holds is reported busy with
 * that job at once) and `POST /v1/devices/{id}/initialize`. An interrupted initialization's PIN is kept under
 * `<dataDir>/initialize` (0700/0600) until the register holds it.
 */
export function initializeArea(deps: AreaDeps, options: InitializeAreaOptions = {}): Area {
  const readers = new ReaderDirectory({
    registers: deps.registers,
    devices: deps.devices,
    ...(options.pcsc === undefined ? {} : { pcsc: options.pcsc }),
    ...(deps.busyWith === undefined ? {} : { busyWith: deps.busyWith }),
  });
  const initialization: InitializationDeps = {
    pending: new FilePendingInitializations(join(deps.dataDir, 'initialize')),
    tokens: new ConfirmationTokens({ ttlMs: options.tokenTtlMs ?? 5 * 60_000 }),
    settings: {
      clockToleranceSeconds: options.clockToleranceSeconds ?? 300,
      utcOffsetMinutes: options.utcOffsetMinutes ?? deps.registerUtcOffsetMinutes ?? DEFAULT_REGISTER_UTC_OFFSET_MINUTES,
      card: { logger: deps.logger.child({ area: 'cards' }) },
    },
  };
  return { plugins: [readersRoutes(readers), initializeRoutes(deps.devices, readers, initialization)], definitions: [] };
}
