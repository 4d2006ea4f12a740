import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { GatewayError } from '../../contracts/errors/index.js';
import { silentLogger } from '../log.js';
import type { Unsubscribe } from '../../contracts/ByteTransport.js';
import type { DeviceEvent, DeviceSnapshot } from '../devices/Device.js';
import type { DevicePort } from '../devices/DevicePort.js';
import { DeviceOwners } from '../devices/lease/DeviceOwners.js';
import { runAsOwner } from '../devices/lease/leaseScope.js';
import type { Store } from '../store/Store.js';
import type { JobEvent, JobRow, RecordDraft, RecordResult, StoredError, WaitingReason } from '../store/types.js';
import { JobEventHub } from './JobEventHub.js';
import { redactSecrets } from './redact.js';
import { asGatewayError, toStoredError } from './storedError.js';
import type { JobContext, JobDefinition, JobSpec, ReconcileOutcome, StartedJob, WaitingFor } from './types.js';
import { WeightedProgress, type ProgressSnapshot } from './WeightedProgress.js';

/** Progress is persisted and announced at most this often, unless the stage changes. */
const PROGRESS_INTERVAL_MS = 200;

interface ActiveJob {
  readonly row: JobRow;
  readonly controller: AbortController;
  readonly progress: WeightedProgress;
  readonly done: Promise<void>;
  cancelPending: boolean;
  draft: RecordDraft;
}

/** Where the runner learns that devices come back, and how it borrows one to reconcile a job (the registry and its DevicePort). */
export interface DeviceFeed {
  readonly port: DevicePort;
  onEvent(listener: (event: DeviceEvent) => void): Unsubscribe;
  get(id: string): DeviceSnapshot | undefined;
  list(): readonly DeviceSnapshot[];
}

/** States in which a device answers as its application: a waiting job can be reconciled then. */
const answering = new Set(['online', 'maintenance']);

export interface CancelOutcome {
  readonly job: JobRow;
  /** True when the job is in a critical stage: it stops at the end of that stage. */
  readonly deferred: boolean;
}

export interface DrainOutcome {
  /** Jobs still running after the grace period (in a critical stage that did not end in time). */
  readonly stillRunning: readonly JobRow[];
}

export interface JobRunnerOptions {
  readonly store: Store;
  readonly logger?: Logger;
  readonly definitions?: readonly JobDefinition[];
  readonly now?: () => Date;
  /** Monotonic milliseconds for progress and ETA (a wall clock set back must not make an ETA negative). */
  readonly clock?: () => number;
  /** Who owns which device: the registry's (`registry.owners`), so a job's device is in maintenance and refused to others. */
  readonly owners?: DeviceOwners;
}

/**
 * Runs jobs: one per device, persisted before they start, with weighted progress, events, cancellation,
 * a service record at the end, and reconciliation of the jobs a crash left 'running'.
 */
/** A job's state in the zh message of an error (GatewayError fills {state} with it). */
const JOB_STATE_ZH: Readonly<Record<string, string>> = { succeeded: '成功', failed: '失败', cancelled: '已取消', running: '执行中', waiting: '等待中' };

export class JobRunner {
  readonly events: JobEventHub;
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly clock: () => number;
  private owners: DeviceOwners;
  private readonly active = new Map<string, ActiveJob>();
  private readonly definitions = new Map<string, JobDefinition>();
  private shuttingDown = false;
  private devices: DeviceFeed | undefined;
  private stopDevices: Unsubscribe | undefined;
  /** Devices whose waiting jobs are being reconciled now. */
  private readonly reconciling = new Set<string>();

  constructor(options: JobRunnerOptions) {
    this.store = options.store;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.clock = options.clock ?? (() => performance.now());
    this.events = new JobEventHub(this.store.jobs, this.logger);
    this.owners = options.owners ?? new DeviceOwners();
    for (const definition of options.definitions ?? []) this.define(definition);
  }

  /**
   * Uses `owners` (the registry's table) from now on; whatever this runner holds moves there. Called by
   * createDevicePort(registry, jobs); refused while a job runs (its device could be taken meanwhile).
   */
  shareOwners(owners: DeviceOwners): void {
    if (owners === this.owners) return;
    if (this.active.size > 0) throw new GatewayError('INTERNAL', { params: { detail: 'device owners shared while jobs run' } });
    for (const row of this.store.jobs.running()) {
      if (this.owners.holder(row.deviceId) === row.id) {
        this.owners.release(row.deviceId, row.id);
        owners.tryAcquire(row.deviceId, row.id);
      }
    }
    this.owners = owners;
  }

  define(definition: JobDefinition): void {
    this.definitions.set(definition.kind, definition);
  }

  /** The job holding `deviceId` (running, or waiting for it to come back), if any. */
  runningOn(deviceId: string): string | undefined {
    return this.owners.holder(deviceId);
  }

  get(id: string): JobRow | undefined {
    return this.store.jobs.get(id);
  }

  /** The jobs of a kind that left a checkpoint, newest first: what one run left for the next (initializationMemory). */
  checkpointed(kind: string): JobRow[] {
    return this.store.jobs.checkpointed(kind);
  }

  /** Stage, fraction and ETA of a job running here, computed now. */
  liveProgress(id: string): ProgressSnapshot | undefined {
    return this.active.get(id)?.progress.snapshot(this.clock());
  }

  /** Whether a job is in a critical stage right now. */
  inCriticalStage(id: string): boolean {
    return this.active.get(id)?.progress.current?.critical === true;
  }

  activeJobs(): JobRow[] {
    return [...this.active.keys()].map((id) => this.store.jobs.get(id)).filter((row): row is JobRow => row !== undefined);
  }

  /**
   * Writes the job row, takes the device and starts `run` on a later tick. Throws DEVICE_BUSY (with the
   * running job's id), SHUTTING_DOWN or IDEMPOTENCY_KEY_REUSED; returns the earlier job for a repeated key.
   */
  start<R>(spec: JobSpec<R>): StartedJob {
    const claim = spec.idempotency;
    if (claim) {
      const earlier = this.store.idempotency.find(claim.scope, claim.key);
      if (earlier) {
        if (earlier.bodyHash !== claim.bodyHash) throw new GatewayError('IDEMPOTENCY_KEY_REUSED', { params: { key: claim.key } });
        const job = this.store.jobs.get(earlier.jobId);
        if (job) return { job, reused: true };
      }
    }
    if (this.shuttingDown) throw new GatewayError('SHUTTING_DOWN');
    if (spec.stages.length === 0 || new Set(spec.stages.map((s) => s.id)).size !== spec.stages.length) {
      throw new GatewayError('INTERNAL', { params: { detail: `job ${spec.kind} needs distinct stages` } });
    }
    const id = randomUUID();
    const holder = this.owners.tryAcquire(spec.deviceId, id);
    if (holder !== undefined) {
      throw new GatewayError('DEVICE_BUSY', { params: { deviceId: spec.deviceId, jobId: holder }, data: { jobId: holder } });
    }
    const createdAt = this.now();
    let row: JobRow;
    let started: JobEvent;
    try {
      // The row, its first event and the key land together, or the device is let go and nothing is left.
      started = this.store.transaction(() => {
        this.store.jobs.create({
          id, kind: spec.kind, deviceId: spec.deviceId, operator: spec.operator,
          params: redactSecrets(spec.params ?? {}), stages: spec.stages, createdAt: createdAt.toISOString(),
        });
        if (spec.record) this.store.jobs.setRecordDraft(id, redactSecrets(spec.record));
        if (claim) this.store.idempotency.insert(claim.scope, claim.key, claim.bodyHash, id, createdAt.toISOString());
        return this.events.append(id, 'started', { kind: spec.kind, deviceId: spec.deviceId, stages: spec.stages }, createdAt);
      });
      row = this.store.jobs.get(id)!;
    } catch (error) {
      this.events.resync(id);
      this.owners.release(spec.deviceId, id);
      throw asGatewayError(error);
    }
    this.events.publish(started);
    this.launch(row, spec.run, spec.record ?? {}, undefined);
    return { job: row, reused: false };
  }

  /** Runs `run` for a stored row on a later tick, as the device's owner, and lets the device go at the end. */
  private launch(row: JobRow, run: (ctx: JobContext) => Promise<unknown>, draft: RecordDraft, resumedFrom: Record<string, unknown> | undefined): void {
    const controller = new AbortController();
    const progress = new WeightedProgress(row.stages, this.clock());
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => { resolveDone = resolve; });
    const active: ActiveJob = { row, controller, progress, done, cancelPending: false, draft };
    this.active.set(row.id, active);
    const log = this.logger.child({ jobId: row.id, deviceId: row.deviceId, kind: row.kind });
    const ctx = this.contextFor(active, log, resumedFrom);
    setImmediate(() => {
      void runAsOwner(row.id, () => this.execute(active, run, ctx, log)).catch((error: unknown) => {
        log.error({ err: error }, 'could not store the end of the job; it will be reconciled at the next start');
      }).finally(() => {
        this.active.delete(row.id);
        this.owners.release(row.deviceId, row.id);
        resolveDone();
      });
    });
  }

  /** Asks a job to stop. In a critical stage the stop waits for the stage's end. */
  cancel(id: string, operator: string): CancelOutcome {
    const active = this.active.get(id);
    if (!active) {
      const row = this.store.jobs.get(id);
      if (!row) throw new GatewayError('JOB_NOT_FOUND', { params: { jobId: id } });
      if ((row.state === 'waiting' || row.state === 'running') && !this.reconciling.has(row.deviceId)) {
        // A job a previous process left, waiting for its device: given up, its device let go, its record saying so.
        this.events.emit(id, 'cancel-requested', { operator, deferred: false });
        this.finishRow(row, row.record, 'cancelled', 'interrupted', row.fraction, undefined,
          toStoredError(new GatewayError('INTERRUPTED_BY_RESTART')), true);
        this.owners.release(row.deviceId, row.id);
        return { job: this.store.jobs.get(id)!, deferred: false };
      }
      throw new GatewayError('JOB_ALREADY_FINISHED', { params: { jobId: id, state: row.state, stateZh: JOB_STATE_ZH[row.state] ?? '其他' } });
    }
    const deferred = active.progress.current?.critical === true;
    this.events.emit(id, 'cancel-requested', { operator, deferred });
    if (deferred) active.cancelPending = true;
    else active.controller.abort(new GatewayError('CANCELLED'));
    return { job: this.store.jobs.get(id)!, deferred };
  }

  /** Resolves when the job has ended (at once if it is not running here). */
  async settled(id: string): Promise<JobRow | undefined> {
    await this.active.get(id)?.done;
    return this.store.jobs.get(id);
  }

  /**
   * Shutdown: no new jobs; running jobs are cancelled (critical stages finish first); waits up to `graceMs`.
   * Whatever still runs after that is returned, so the daemon can refuse to stop in the middle of it.
   */
  async drain(graceMs: number, operator = 'fiscald'): Promise<DrainOutcome> {
    this.shuttingDown = true;
    for (const id of [...this.active.keys()]) {
      try {
        this.cancel(id, operator);
      } catch {
        // ended in the meantime
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs); });
    await Promise.race([Promise.all([...this.active.values()].map((a) => a.done)), timeout]);
    clearTimeout(timer);
    return { stillRunning: this.activeJobs() };
  }

  /** Lets jobs start again after a drain that was refused. */
  resume(): void {
    this.shuttingDown = false;
  }

  /**
   * At start-up, before the API answers and without touching a device: every job a previous process left
   * unfinished either waits for its device (its kind has a `reconcile`: state `waiting`, the device owned by it,
   * so nobody else takes it first) or, without one, fails with INTERRUPTED_BY_RESTART and its service record.
   * Returns the jobs it touched. The waiting ones are reconciled once `followDevices()` sees their device online.
   */
  async reconcile(): Promise<JobRow[]> {
    const touched: JobRow[] = [];
    for (const row of this.store.jobs.running()) {
      if (this.active.has(row.id)) continue;
      const definition = this.definitions.get(row.kind);
      if (definition?.reconcile === undefined) {
        this.finishRow(row, row.record, 'failed', 'interrupted', row.fraction, undefined, toStoredError(new GatewayError('INTERRUPTED_BY_RESTART')), true);
        this.logger.info({ jobId: row.id, kind: row.kind }, 'a job left running failed: its kind cannot be reconciled');
      } else {
        const holder = this.owners.tryAcquire(row.deviceId, row.id);
        if (holder !== undefined) this.logger.warn({ jobId: row.id, holder }, 'two unfinished jobs for one device; the older waits first');
        this.setWaiting(row.id, {
          for: 'device', code: 'INTERRUPTED_BY_RESTART',
          message: {
            'zh-CN': `任务因网关重启而中断，等待设备 ${row.deviceId} 重新连接后核对结果`,
            en: `Interrupted by a gateway restart: waiting for device ${row.deviceId} to be back to reconcile it`,
          },
        });
        this.logger.info({ jobId: row.id, kind: row.kind, deviceId: row.deviceId }, 'a job left running waits for its device');
      }
      touched.push(this.store.jobs.get(row.id)!);
    }
    return touched;
  }

  /**
   * Follows the devices: whenever one is identified online and a job waits for it, that job is reconciled
   * (on a later tick: never in the caller's way, so start-up and the API never wait for a device). Devices
   * already online are looked at once now.
   */
  followDevices(devices: DeviceFeed): void {
    this.stopDevices?.();
    this.devices = devices;
    this.stopDevices = devices.onEvent((event) => {
      if (event.type !== 'removed' && answering.has(event.device.state)) this.scheduleReconcile(event.device.id);
    });
    for (const device of devices.list()) if (answering.has(device.state)) this.scheduleReconcile(device.id);
  }

  /** Stops following the devices (shutdown). */
  unfollowDevices(): void {
    this.stopDevices?.();
    this.stopDevices = undefined;
    this.devices = undefined;
  }

  /** Resolves when no reconcile is under way (tests, shutdown). */
  async reconciled(): Promise<void> {
    while (this.reconciling.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private scheduleReconcile(deviceId: string): void {
    // Stopping: a waiting job stays waiting for the next start rather than resume under a daemon going away.
    if (this.reconciling.has(deviceId) || this.shuttingDown) return;
    const waiting = this.store.jobs.running().filter((row) => row.deviceId === deviceId && !this.active.has(row.id));
    if (waiting.length === 0) return;
    this.reconciling.add(deviceId);
    setImmediate(() => {
      void this.reconcileDevice(deviceId).catch((error: unknown) => {
        this.logger.error({ err: error, deviceId }, 'reconciling the jobs of a device failed');
      }).finally(() => this.reconciling.delete(deviceId));
    });
  }

  /** The unfinished jobs of one device that is back, oldest first, each with its kind's reconcile. */
  private async reconcileDevice(deviceId: string): Promise<void> {
    const devices = this.devices;
    if (devices === undefined) return;
    for (const row of this.store.jobs.running().filter((r) => r.deviceId === deviceId && !this.active.has(r.id))) {
      const definition = this.definitions.get(row.kind);
      if (definition?.reconcile === undefined) continue;
      const holder = this.owners.tryAcquire(deviceId, row.id);
      if (holder !== undefined && holder !== row.id) continue;
      const reconcile = definition.reconcile.bind(definition);
      let outcome: ReconcileOutcome;
      try {
        outcome = await runAsOwner(row.id, () =>
          devices.port.withDevice(deviceId, new AbortController().signal, (device) => reconcile(row, device)));
      } catch (error) {
        // The device went away again, or could not be asked: the job keeps waiting for its next return.
        this.logger.warn({ jobId: row.id, err: error }, 'could not reconcile the job now; it keeps waiting for its device');
        const summary = asGatewayError(error);
        this.setWaiting(row.id, {
          for: 'device', code: summary.code,
          message: {
            'zh-CN': `等待设备 ${deviceId} 以核对中断的任务（上次核对失败：${summary.localized('zh-CN')}）`,
            en: `Waiting for device ${deviceId} to reconcile the interrupted job (the last try failed: ${summary.localized('en')})`,
          },
        });
        return;
      }
      if (outcome.state === 'resume') {
        if (this.shuttingDown) return;
        this.store.jobs.setWaiting(row.id, null);
        this.events.emit(row.id, 'resumed', { reconciled: true });
        this.logger.info({ jobId: row.id, kind: row.kind }, 'resuming an interrupted job from its checkpoint');
        const resumedFrom = (row.checkpoint ?? undefined) as Record<string, unknown> | undefined;
        this.launch(this.store.jobs.get(row.id)!, outcome.run, row.record, resumedFrom);
        return;
      }
      const draft = outcome.after === undefined ? row.record : { ...row.record, after: outcome.after };
      if (outcome.state === 'succeeded') {
        this.finishRow(row, draft, 'succeeded', 'succeeded', 1, outcome.result, undefined, true);
      } else {
        this.finishRow(row, draft, 'failed', 'interrupted', row.fraction, undefined, toStoredError(outcome.error), true);
      }
      this.owners.release(deviceId, row.id);
      this.logger.info({ jobId: row.id, kind: row.kind, state: outcome.state }, 'reconciled an interrupted job');
    }
  }

  private setWaiting(id: string, reason: WaitingFor): void {
    const full: WaitingReason = { ...reason, since: this.now().toISOString() };
    this.store.jobs.setWaiting(id, full);
    this.events.emit(id, 'waiting', { ...full });
  }

  private contextFor(active: ActiveJob, log: Logger, resumedFrom: Record<string, unknown> | undefined): JobContext {
    const { row, controller, progress } = active;
    let lastPersist = 0;
    let lastDetail: string | undefined;
    const publish = (force: boolean, detail?: string): void => {
      const now = this.clock();
      if (!force && now - lastPersist < PROGRESS_INTERVAL_MS && detail === lastDetail) return;
      lastPersist = now;
      lastDetail = detail;
      const snap = progress.snapshot(now);
      this.store.jobs.setProgress(row.id, snap.stage, snap.fraction);
      this.events.emit(row.id, 'progress', { ...snap, ...(detail === undefined ? {} : { detail }) });
    };
    const throwIfCancelled = (): void => {
      if (controller.signal.aborted) throw asGatewayError(controller.signal.reason);
    };
    let waiting = false;
    return {
      jobId: row.id, deviceId: row.deviceId, operator: row.operator, signal: controller.signal, log,
      throwIfCancelled, resumedFrom,
      checkpoint: (data: Record<string, unknown>) => {
        this.store.jobs.setCheckpoint(row.id, data);
      },
      waiting: (reason: WaitingFor) => {
        waiting = true;
        this.setWaiting(row.id, reason);
      },
      running: () => {
        if (!waiting) return;
        waiting = false;
        this.store.jobs.setWaiting(row.id, null);
        this.events.emit(row.id, 'running', {});
      },
      stage: (id: string) => {
        const index = progress.indexOf(id);
        if (index < 0) throw new GatewayError('INTERNAL', { params: { detail: `job ${row.kind} has no stage ${id}` } });
        if (active.cancelPending) {
          active.cancelPending = false;
          controller.abort(new GatewayError('CANCELLED'));
        }
        throwIfCancelled();
        progress.enter(index);
        this.events.emit(row.id, 'stage', { stage: id, index, critical: progress.current?.critical === true });
        publish(true);
      },
      progress: (fraction: number, detail?: string) => {
        progress.advance(fraction);
        publish(false, detail);
      },
      record: (draft: RecordDraft) => {
        active.draft = { ...active.draft, ...redactSecrets(draft) };
        this.store.jobs.setRecordDraft(row.id, active.draft);
      },
    };
  }

  private async execute(active: ActiveJob, run: (ctx: JobContext) => Promise<unknown>, ctx: JobContext, log: Logger): Promise<void> {
    const { row, controller, progress } = active;
    try {
      const result = await run(ctx);
      this.finishRow(row, active.draft, 'succeeded', 'succeeded', 1, result, undefined, false);
      log.info('job succeeded');
    } catch (error) {
      const cancelled = controller.signal.aborted;
      const stored = toStoredError(cancelled && !(error instanceof GatewayError) ? controller.signal.reason : error);
      const state = cancelled || stored.code === 'CANCELLED' ? 'cancelled' : 'failed';
      const fraction = progress.snapshot(this.clock()).fraction;
      this.finishRow(row, active.draft, state, state, fraction, undefined, stored, false);
      if (state === 'failed') log.warn({ code: stored.code, detail: stored.message }, 'job failed');
      else log.info('job cancelled');
    }
  }

  private finishRow(
    row: JobRow, draft: RecordDraft, state: 'succeeded' | 'failed' | 'cancelled', recordResult: RecordResult,
    fraction: number, result: unknown, error: StoredError | undefined, reconciled: boolean,
  ): void {
    const at = this.now().toISOString();
    // What a service returns or throws is kept and sent as it is, but never a value under a secret's name.
    const kept = redactSecrets(result);
    const failure = error && { ...error, params: redactSecrets(error.params), data: redactSecrets(error.data) };
    let end: JobEvent | undefined;
    try {
      end = this.store.transaction(() => {
        if (!this.store.jobs.finish(row.id, { state, finishedAt: at, fraction, result: kept, error: failure })) return undefined;
        this.store.records.insert({
          at, operator: row.operator, deviceId: row.deviceId, machineNumber: draft.machineNumber ?? null,
          action: draft.action ?? row.kind, params: row.params, before: draft.before, after: draft.after,
          result: recordResult, errorCode: failure?.code ?? null, jobId: row.id,
        });
        return this.events.append(row.id, 'end', {
          state, fraction, ...(kept === undefined ? {} : { result: kept }), ...(failure ? { error: failure } : {}), ...(reconciled ? { reconciled } : {}),
        });
      });
    } catch (error) {
      this.events.resync(row.id);
      throw error;
    }
    if (end) this.events.publish(end);
  }
}
