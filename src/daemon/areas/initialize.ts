import { initializeRoutes } from '../../api/routes/initializeRoutes.js';
import { readersRoutes } from '../../api/routes/readersRoutes.js';
import type { PcscSource } from '../../devices/readers/PcscCardReaders.js';
import { ReaderDirectory } from '../../devices/readers/ReaderDirectory.js';
import { ConfirmationTokens } from '../../services/initialize/ConfirmationTokens.js';
import { initializationMemory } from '../../jobs/initializationMemory.js';
import type { JobDefinition } from '../../jobs/types.js';
import type { InitializationDeps } from '../../services/initialize/initializeRegister.js';
import { INITIALIZATION_JOB_KIND, readerNamesOf, reconcileInitialization } from '../../services/initialize/reconcileInitialization.js';
import { withInitializationTarget } from '../../services/initialize/withInitializationTarget.js';
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
 * that job at once) and `POST /v1/devices/{id}/initialize`. An interrupted initialization is remembered by its
 * job's checkpoint (initializationMemory over the job store) and reconciled, once its register is back, over the
 * register and the readers the job named, lent again through the DevicePort.
 */
export function initializeArea(deps: AreaDeps, options: InitializeAreaOptions = {}): Area {
  const readers = new ReaderDirectory({
    registers: deps.registers,
    devices: deps.devices,
    ...(options.pcsc === undefined ? {} : { pcsc: options.pcsc }),
    ...(deps.busyWith === undefined ? {} : { busyWith: deps.busyWith }),
  });
  const initialization: InitializationDeps = {
    pending: initializationMemory(deps.jobs ?? { checkpointed: () => [] }),
    tokens: new ConfirmationTokens({ ttlMs: options.tokenTtlMs ?? 5 * 60_000 }),
    settings: {
      clockToleranceSeconds: options.clockToleranceSeconds ?? 300,
      utcOffsetMinutes: options.utcOffsetMinutes ?? deps.registerUtcOffsetMinutes ?? DEFAULT_REGISTER_UTC_OFFSET_MINUTES,
      card: { logger: deps.logger.child({ area: 'cards' }) },
    },
  };
  const definition: JobDefinition = {
    kind: INITIALIZATION_JOB_KIND,
    reconcile: (job, device) => reconcileInitialization(job, device, (signal, work) =>
      withInitializationTarget(deps.devices, readers, job.deviceId, readerNamesOf(job.params), signal, work), initialization),
  };
  return { plugins: [readersRoutes(readers), initializeRoutes(deps.devices, readers, initialization)], definitions: [definition] };
}
