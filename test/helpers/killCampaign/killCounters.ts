import type { RegisterTruth } from './readRegisterTruth.js';

/** The four things the campaign counts; each must stay 0. */
export interface KillCounters {
  /**
   * Fiscal PIN tries the card lost over the run: its try counter before minus its lowest reading later (once
   * the restarted daemon settled, and at the end), from the saved card state. A wrong try refilled by a
   * right one before the next reading is not seen.
   */
  readonly pinTriesSpent: number;
  /** 1 when the run leaves the fiscal card registered while the register is not initialized (and did not find it so). */
  readonly cardRegisteredToUninitializedRegister: number;
  /** Committed backups that verify, made before the kill, whose backup job is not reported succeeded with them. */
  readonly committedBackupsReportedFailed: number;
  /** Jobs still running or waiting once the device is back and the settle time has passed. */
  readonly jobsUnreconciled: number;
}

/** `later`: the readings after the kill, the last one the end of the run. */
export function countKillOutcome(before: RegisterTruth, later: readonly RegisterTruth[], backupsReportedFailed: number, jobsUnsettled: number): KillCounters {
  const after = later.at(-1) ?? before;
  const foundInconsistent = before.fiscalCardRegistered && !before.initialized;
  return {
    pinTriesSpent: Math.max(0, before.pinTriesLeft - Math.min(before.pinTriesLeft, ...later.map((truth) => truth.pinTriesLeft))),
    cardRegisteredToUninitializedRegister: after.fiscalCardRegistered && !after.initialized && !foundInconsistent ? 1 : 0,
    committedBackupsReportedFailed: backupsReportedFailed,
    jobsUnreconciled: jobsUnsettled,
  };
}
