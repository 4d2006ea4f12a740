/**
 * What a diagnostics run needs from one register, in typed GB-link terms. The daemon adapts the device
 * registry's RegisterSession to it; tests give a fake.
 */
export type SelfCheckName = 'cpu' | 'rom' | 'ram' | 'memory' | 'serial' | 'cycle';

/** GB link 5C…61, in that order. */
export const selfCheckNames: readonly SelfCheckName[] = ['cpu', 'rom', 'ram', 'memory', 'serial', 'cycle'];

export interface SelfCheckOutcome {
  readonly passed: boolean;
  /** The register's error code (ER xx) or the gateway error code when it did not pass. */
  readonly code?: string;
  readonly detail?: string;
}

/** GB link 41, the facts diagnostics judges; `raw` keeps the decoded payload for the report. */
export interface RegisterStatusFacts {
  readonly initialized: boolean;
  readonly fiscalCardPresent?: boolean;
  readonly userCardPresent?: boolean;
  /** Lock conditions the register reports (status 41 lock bits). */
  readonly locks?: {
    readonly deadlinePassed?: boolean;
    readonly fiveYear?: boolean;
    readonly fiscalCard?: boolean;
    readonly userCard?: boolean;
    readonly fiscalMemoryFault?: boolean;
  };
  /** Declared, waiting for the control update (完税后监控数据更新). */
  readonly awaitingControlUpdate?: boolean;
  readonly raw: Record<string, unknown>;
}

export interface DiagnosticsPort {
  readonly machineNumber: string;
  selfCheck(name: SelfCheckName, signal: AbortSignal): Promise<SelfCheckOutcome>;
  status(signal: AbortSignal): Promise<RegisterStatusFacts>;
  /** GB link 3A, as an absolute instant (the adapter applies the register's time zone). */
  clock(signal: AbortSignal): Promise<Date>;
}

