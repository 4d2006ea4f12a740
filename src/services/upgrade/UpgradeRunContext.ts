import type { StageReporter } from '../common/ProgressPort.js';

/**
 * What the upgrade's run needs from its job (src/jobs JobContext has all of it): the progress port, which device,
 * the cancel signal, the checkpoint it resumes from, and the waiting state while the register is away. Services
 * take this instead of the job context type, so they never import src/jobs (LAYERING.md).
 */
export interface UpgradeRunContext extends StageReporter {
  readonly deviceId: string;
  readonly signal: AbortSignal;
  readonly resumedFrom: Record<string, unknown> | undefined;
  waiting(reason: { readonly for: 'device' | 'technician'; readonly code: string; readonly message: { readonly 'zh-CN': string; readonly en: string } }): void;
  running(): void;
}
