/** The rows the store keeps, as the rest of the daemon sees them (JSON-safe, times as ISO-8601 UTC strings). */

/** `waiting`: not ended, held up by something outside the gateway (a device away, a card, a technician). */
export type JobState = 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

/** What a waiting job waits for, in words for both languages. */
export interface WaitingReason {
  readonly for: 'device' | 'card' | 'technician';
  /** A stable code saying why (e.g. INTERRUPTED_BY_RESTART, DEVICE_OFFLINE). */
  readonly code: string;
  readonly message: { readonly 'zh-CN': string; readonly en: string };
  readonly since: string;
}

export interface StageSpec {
  readonly id: string;
  /** Relative share of the job's total work; weights need not add up to anything. */
  readonly weight: number;
  /** A step that must not be cut in the middle (firmware or card write): cancel and shutdown wait for its end. */
  readonly critical?: boolean;
}

/** A GatewayError frozen for storage and for the API: code, messages in both languages, params and facts. */
export interface StoredError {
  readonly code: string;
  readonly params: Record<string, string | number>;
  readonly data: Record<string, unknown>;
  readonly message: string;
  readonly messageZh: string;
}

/** What a job knows for its service record while it runs; written with the job so a restart can finish the record. */
export interface RecordDraft {
  readonly action?: string;
  readonly machineNumber?: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface JobRow {
  readonly id: string;
  readonly kind: string;
  readonly deviceId: string;
  readonly operator: string;
  /** Parameters as given, secrets already redacted. */
  readonly params: Record<string, unknown>;
  readonly stages: readonly StageSpec[];
  readonly state: JobState;
  readonly stage: string | null;
  readonly fraction: number;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly result: unknown;
  readonly error: StoredError | null;
  readonly record: RecordDraft;
  /**
   * The job's last checkpoint (src/jobs/ENGINE.md): kept whole, also after the end (what a run left for the next
   * one), for the job's kind only, never shown; a job drops a secret from it once nothing needs it.
   */
  readonly checkpoint: unknown;
  /** Set while the job waits (state `waiting`). */
  readonly waiting: WaitingReason | null;
}

export type JobEventType = 'started' | 'stage' | 'progress' | 'log' | 'cancel-requested' | 'waiting' | 'running' | 'resumed' | 'end';

export interface JobEvent {
  readonly jobId: string;
  /** 1, 2, 3… per job: the SSE event id, so a client resumes with Last-Event-ID. */
  readonly seq: number;
  readonly type: JobEventType;
  readonly data: Record<string, unknown>;
  readonly at: string;
}

export type RecordResult = 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface ServiceRecord {
  readonly id: number;
  readonly at: string;
  readonly operator: string;
  readonly deviceId: string;
  readonly machineNumber: string | null;
  readonly action: string;
  readonly params: Record<string, unknown>;
  readonly before: unknown;
  readonly after: unknown;
  readonly result: RecordResult;
  readonly errorCode: string | null;
  readonly jobId: string | null;
}

export type NewServiceRecord = Omit<ServiceRecord, 'id'>;
