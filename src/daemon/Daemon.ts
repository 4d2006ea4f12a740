import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildServer } from '../api/buildServer.js';
import { JobRunner } from '../jobs/JobRunner.js';
import { openStore, type Store } from '../store/Store.js';
import type { DaemonConfig } from './config.js';
import type { DeviceSide } from './DeviceSide.js';
import { hostName } from './listenAddress.js';
import { databasePath } from './paths.js';

const DAY_MS = 86_400_000;

export type ShutdownOutcome = 'stopped' | 'refused';

export interface DaemonOptions {
  readonly config: DaemonConfig;
  readonly token: string;
  readonly logger: Logger;
  readonly version: string;
  /** Builds the device side once the store and job runner exist. */
  readonly devices: () => Promise<DeviceSide>;
}

/**
 * fiscald put together: store, job runner (reconciled before anything new starts), devices, HTTP API,
 * the daily retention sweep, and a shutdown that will not cut a critical step.
 */
export class Daemon {
  private stopping = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  private boundPort: number | undefined;

  private constructor(
    readonly app: FastifyInstance, readonly jobs: JobRunner, readonly store: Store,
    private readonly deviceSide: DeviceSide, private readonly options: DaemonOptions,
  ) {}

  static async start(options: DaemonOptions): Promise<Daemon> {
    const { config, logger } = options;
    const store = openStore(databasePath(config.dataDir), logger.child({ area: 'store' }));
    let deviceSide: DeviceSide | undefined;
    try {
      const jobs = new JobRunner({ store, logger: logger.child({ area: 'jobs' }) });
      deviceSide = await options.devices();
      for (const definition of deviceSide.definitions) jobs.define(definition);
      const reconciled = await jobs.reconcile();
      if (reconciled.length) logger.warn({ jobs: reconciled.map((j) => ({ id: j.id, kind: j.kind, state: j.state })) }, 'reconciled jobs a previous run left running');
      let port = config.listen.port;
      const app = await buildServer(
        { jobs, store, devices: deviceSide.directory, logger: logger.child({ area: 'api' }), version: options.version },
        {
          token: options.token, port: () => port, corsOrigins: config.corsOrigins, extraHosts: config.allowedHosts,
          plugins: deviceSide.plugins,
        },
      );
      await app.listen({ host: config.listen.host, port: config.listen.port });
      port = (app.server.address() as AddressInfo).port;
      const daemon = new Daemon(app, jobs, store, deviceSide, options);
      daemon.boundPort = port;
      daemon.sweep();
      daemon.sweepTimer = setInterval(() => daemon.sweep(), DAY_MS);
      daemon.sweepTimer.unref();
      logger.info({ url: daemon.url, dataDir: config.dataDir, simulate: config.simulate }, 'fiscald listening');
      return daemon;
    } catch (error) {
      await deviceSide?.close().catch(() => undefined);
      store.close();
      throw error;
    }
  }

  /** The port listened on (fixed once started, also after stop). */
  get port(): number {
    this.boundPort ??= (this.app.server.address() as AddressInfo).port;
    return this.boundPort;
  }

  get url(): string {
    return `http://${hostName(this.options.config.listen.host)}:${this.port}`;
  }

  private sweep(): void {
    try {
      this.store.sweep(this.options.config.retention);
    } catch (error) {
      this.options.logger.error({ err: error }, 'retention sweep failed');
    }
  }

  /**
   * Stops taking jobs, cancels running ones (a critical stage first finishes) and waits up to the grace
   * period. If a critical step is still running then, refuses: the daemon keeps serving and says why.
   */
  async shutdown(reason: string): Promise<ShutdownOutcome> {
    const { logger, config } = this.options;
    if (this.stopping) {
      logger.warn({ reason }, 'already stopping; still waiting for running jobs');
      return 'refused';
    }
    this.stopping = true;
    logger.info({ reason, running: this.jobs.activeJobs().map((j) => j.id) }, 'stopping: letting running jobs end');
    const { stillRunning } = await this.jobs.drain(config.shutdownGraceSeconds * 1000);
    if (stillRunning.length > 0) {
      const critical = stillRunning.map((job) => ({ id: job.id, kind: job.kind, deviceId: job.deviceId, stage: job.stage }));
      logger.error({ jobs: critical },
        'refusing to stop: a critical step (firmware or card write) is still running; fiscald keeps running. '
        + 'Stop again once it has ended (fiscalctl jobs); SIGKILL now would interrupt the write');
      this.jobs.resume();
      this.stopping = false;
      return 'refused';
    }
    clearInterval(this.sweepTimer);
    await this.app.close();
    await this.deviceSide.close();
    this.store.close();
    logger.info('fiscald stopped');
    return 'stopped';
  }
}
