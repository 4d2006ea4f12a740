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
