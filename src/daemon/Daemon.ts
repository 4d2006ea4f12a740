import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildServer } from '../api/buildServer.js';
import { JobRunner } from '../jobs/JobRunner.js';
import { openStore, type Store } from '../store/Store.js';
import type { DaemonConfig } from './config.js';
import type { DeviceSide, DeviceSideContext } from './DeviceSide.js';
import { EarlyListener } from './EarlyListener.js';
import { hostName } from './listenAddress.js';
import { databasePath } from './paths.js';

const DAY_MS = 86_400_000;

export type ShutdownOutcome = 'stopped' | 'refused';

export interface DaemonOptions {
  readonly config: DaemonConfig;
  readonly token: string;
  readonly logger: Logger;
  readonly version: string;
  /** Builds the device side once the store, the job runner and the bound listen address exist. */
  readonly devices: (context: DeviceSideContext) => Promise<DeviceSide>;
}

/**
 * fiscald put together: store, job runner, the listen address (bound before any device is opened, so a busy
 * port is refused before a register is touched), devices, jobs reconciled before anything new starts, HTTP API,
 * the daily retention sweep, and a shutdown that will not cut a critical step.
 */
export class Daemon {
  private stopping = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly boundPort: number;

  private constructor(
    readonly app: FastifyInstance, readonly jobs: JobRunner, readonly store: Store,
    private readonly deviceSide: DeviceSide, private readonly listener: EarlyListener, private readonly options: DaemonOptions,
  ) {
    this.boundPort = listener.port;
  }

  static async start(options: DaemonOptions): Promise<Daemon> {
    const { config, logger } = options;
    const store = openStore(databasePath(config.dataDir), logger.child({ area: 'store' }));
    let deviceSide: DeviceSide | undefined;
    let listener: EarlyListener | undefined;
    try {
      const jobs = new JobRunner({ store, logger: logger.child({ area: 'jobs' }) });
      listener = await EarlyListener.bind(config.listen.host, config.listen.port, { maxConnections: config.limits.connections });
      const port = listener.port;
      deviceSide = await options.devices({ jobs, records: store.records });
      for (const definition of deviceSide.definitions) jobs.define(definition);
      const reconciled = await jobs.reconcile();
      if (reconciled.length) logger.warn({ jobs: reconciled.map((j) => ({ id: j.id, kind: j.kind, state: j.state })) }, 'reconciled jobs a previous run left running');
      const app = await buildServer(
        { jobs, store, devices: deviceSide.directory, logger: logger.child({ area: 'api' }), version: options.version },
        {
          token: options.token, port: () => port, corsOrigins: config.corsOrigins, extraHosts: config.allowedHosts,
          plugins: deviceSide.plugins, server: listener.server, maxEventStreams: config.limits.eventStreams,
        },
      );
      listener.serve((request, response) => app.routing(request, response));
      // Only now that the API answers: jobs left waiting are reconciled as their registers come back (never in start-up's way).
      if (deviceSide.feed !== undefined) jobs.followDevices(deviceSide.feed);
      const daemon = new Daemon(app, jobs, store, deviceSide, listener, options);
      daemon.sweep();
      daemon.sweepTimer = setInterval(() => daemon.sweep(), DAY_MS);
      daemon.sweepTimer.unref();
      logger.info({ url: daemon.url, dataDir: config.dataDir, simulate: config.simulate }, 'fiscald listening');
      return daemon;
    } catch (error) {
      await deviceSide?.close().catch(() => undefined);
      await listener?.close().catch(() => undefined);
      store.close();
      throw error;
    }
  }

  /** The port listened on (fixed once started, also after stop). */
  get port(): number {
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
    this.listener.stopServing();
    await this.app.close();
    await this.listener.close();
    this.jobs.unfollowDevices();
    await this.deviceSide.close();
    this.store.close();
    logger.info('fiscald stopped');
    return 'stopped';
  }
}
