import type { StageReporter } from './ProgressPort.js';

/**
 * What a read-only run over its job's device needs from the job (src/jobs JobContext has all of it): which device,
 * the job's cancel signal, and the progress port's stage, progress and service-record calls. Services take this
 * instead of the job context type, so they never import src/jobs (LAYERING.md).
 */
export interface DeviceRunContext extends Pick<StageReporter, 'stage' | 'progress' | 'record'> {
  readonly deviceId: string;
  readonly signal: AbortSignal;
}
