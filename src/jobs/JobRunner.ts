import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { GatewayError } from '../../contracts/errors/index.js';
import { silentLogger } from '../log.js';
import type { Store } from '../store/Store.js';
import type { JobEvent, JobRow, RecordDraft, RecordResult, StoredError } from '../store/types.js';
import { DeviceLocks } from './DeviceLocks.js';
import { JobEventHub } from './JobEventHub.js';
import { redactSecrets } from './redact.js';
import { asGatewayError, toStoredError } from './storedError.js';
import type { JobContext, JobDefinition, JobSpec, StartedJob } from './types.js';
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
}

/**
 * Runs jobs: one per device, persisted before they start, with weighted progress, events, cancellation,
 * a service record at the end, and reconciliation of the jobs a crash left 'running'.
 */
export class JobRunner {
  readonly events: JobEventHub;
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly clock: () => number;
  private readonly locks = new DeviceLocks();
  private readonly active = new Map<string, ActiveJob>();
  private readonly definitions = new Map<string, JobDefinition>();
  private shuttingDown = false;

  constructor(options: JobRunnerOptions) {
    this.store = options.store;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.clock = options.clock ?? (() => performance.now());
    this.events = new JobEventHub(this.store.jobs, this.logger);
    for (const definition of options.definitions ?? []) this.define(definition);
  }

  define(definition: JobDefinition): void {
    this.definitions.set(definition.kind, definition);
  }

  /** The job holding `deviceId`, if any. */
  runningOn(deviceId: string): string | undefined {
    return this.locks.holder(deviceId);
  }

  get(id: string): JobRow | undefined {
    return this.store.jobs.get(id);
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
    const holder = this.locks.tryAcquire(spec.deviceId, id);
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
      this.locks.release(spec.deviceId, id);
      throw asGatewayError(error);
    }
    this.events.publish(started);

    const controller = new AbortController();
    const progress = new WeightedProgress(spec.stages, this.clock());
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => { resolveDone = resolve; });
    const active: ActiveJob = { row, controller, progress, done, cancelPending: false, draft: spec.record ?? {} };
    this.active.set(id, active);
    const log = this.logger.child({ jobId: id, deviceId: spec.deviceId, kind: spec.kind });
    const ctx = this.contextFor(active, log);
    setImmediate(() => {
      void this.execute(active, spec, ctx, log).catch((error: unknown) => {
        log.error({ err: error }, 'could not store the end of the job; it will be reconciled at the next start');
      }).finally(() => {
        this.active.delete(id);
        this.locks.release(spec.deviceId, id);
        resolveDone();
      });
    });
    return { job: row, reused: false };
  }

  /** Asks a job to stop. In a critical stage the stop waits for the stage's end. */
  cancel(id: string, operator: string): CancelOutcome {
    const active = this.active.get(id);
    if (!active) {
      const row = this.store.jobs.get(id);
      if (!row) throw new GatewayError('JOB_NOT_FOUND', { params: { jobId: id } });
      throw new GatewayError('JOB_ALREADY_FINISHED', { params: { jobId: id, state: row.state } });
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
   * Settles every job a previous process left 'running': its definition's `reconcile()` decides, else it
   * fails with INTERRUPTED_BY_RESTART. Each gets its end event and its service record.
   */
  async reconcile(): Promise<JobRow[]> {
    const settled: JobRow[] = [];
    for (const row of this.store.jobs.running()) {
      if (this.active.has(row.id)) continue;
      const definition = this.definitions.get(row.kind);
      let outcome: { state: 'succeeded' | 'failed'; result?: unknown; error?: StoredError; after?: unknown };
      try {
        const decided = definition?.reconcile
          ? await definition.reconcile(row)
          : { state: 'failed' as const, error: new GatewayError('INTERRUPTED_BY_RESTART') };
        outcome = decided.state === 'succeeded'
          ? { state: 'succeeded', result: decided.result, after: decided.after }
          : { state: 'failed', error: toStoredError(decided.error) };
      } catch (error) {
        this.logger.warn({ jobId: row.id, err: error }, 'reconcile failed; marking the job interrupted');
        outcome = { state: 'failed', error: toStoredError(new GatewayError('INTERRUPTED_BY_RESTART')) };
      }
      const draft = outcome.after === undefined ? row.record : { ...row.record, after: outcome.after };
      this.finishRow(row, draft, outcome.state, outcome.state === 'succeeded' ? 'succeeded' : 'interrupted',
        row.fraction, outcome.result, outcome.error, true);
      this.logger.info({ jobId: row.id, kind: row.kind, state: outcome.state }, 'reconciled a job left running');
      settled.push(this.store.jobs.get(row.id)!);
    }
    return settled;
  }

  private contextFor(active: ActiveJob, log: Logger): JobContext {
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
    return {
      jobId: row.id, deviceId: row.deviceId, operator: row.operator, signal: controller.signal, log,
      throwIfCancelled,
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

  private async execute<R>(active: ActiveJob, spec: JobSpec<R>, ctx: JobContext, log: Logger): Promise<void> {
    const { row, controller, progress } = active;
    try {
      const result = await spec.run(ctx);
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
