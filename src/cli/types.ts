/** The shapes of fiscald's answers that fiscalctl reads (see GET /v1/openapi.json). */
export interface DeviceView {
  readonly id: string;
  readonly state: string;
  readonly simulated: boolean;
  readonly transport: { readonly kind: string; readonly path: string };
  readonly identity?: { readonly machineNumber: string; readonly model: string; readonly firmwareVersion: string; readonly bootloaderVersion: string; readonly hardwareRevision: string };
  readonly lastSeenAt?: string;
  readonly lastError?: { readonly code: string; readonly message: string };
  readonly busyWithJob: string | null;
  /** GET /v1/devices' fiscal view (absent from an older daemon). */
  readonly fiscal?: FiscalViewJson;
}

export interface FiscalViewJson {
  readonly fiscalState: string;
  readonly taxpayer: { readonly number: string; readonly id: string; readonly name: string } | null;
  readonly issueDeadline: string | null;
  readonly lastDiagnosis: { readonly id: string; readonly at: string; readonly verdict: string; readonly worst: { readonly id: string; readonly status: string; readonly zh: string; readonly en: string } | null } | null;
  readonly lastBackup: { readonly at: string; readonly jobId: string | null; readonly backupId: string | null } | null;
  readonly cards: { readonly fiscal: boolean | null; readonly user: boolean | null };
}

export interface JobView {
  readonly id: string;
  readonly kind: string;
  readonly deviceId: string;
  readonly operator: string;
  readonly state: 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
  /** Why the job waits (state `waiting`). */
  readonly waiting?: { readonly for: string; readonly code: string; readonly message: { readonly 'zh-CN': string; readonly en: string } } | null;
  readonly stage: string | null;
  readonly fraction: number;
  readonly etaSeconds: number | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly result: unknown;
  readonly error: { readonly code: string; readonly message: string; readonly messageZh: string } | null;
}

export interface ServiceRecordView {
  readonly id: number;
  readonly at: string;
  readonly operator: string;
  readonly deviceId: string;
  readonly machineNumber: string | null;
  readonly action: string;
  readonly result: string;
  readonly errorCode: string | null;
  readonly jobId: string | null;
}
