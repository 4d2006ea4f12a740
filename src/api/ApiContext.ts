import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { JobRunner } from '../jobs/JobRunner.js';
import type { Store } from '../store/Store.js';
import type { DeviceDirectory } from './DeviceDirectory.js';
import type { EventStreamGate } from './edge/EventStreamGate.js';
import type { RouteCatalog } from './RouteCatalog.js';

/** What every API plugin is given: the shared services of the daemon. */
export interface ApiContext {
  readonly jobs: JobRunner;
  readonly store: Store;
  readonly devices: DeviceDirectory;
  readonly catalog: RouteCatalog;
  readonly logger: Logger;
  readonly version: string;
  /** The cap on job event streams (SSE) open at once. */
  readonly eventStreams: EventStreamGate;
}

/**
 * One area of the API (devices, jobs, diagnostics, later initialize, backups, upgrade…), registered as
 * its own encapsulated fastify plugin under /v1.
 */
export interface ApiPlugin {
  readonly name: string;
  register(app: FastifyInstance, context: ApiContext): Promise<void> | void;
}
