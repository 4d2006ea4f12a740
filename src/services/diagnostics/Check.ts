/**
 * One diagnostic check as a technician reads it (after fwupd's HSI: an id, what it measures, a level, the
 * impact of a failure and its resolution), with the step beyond: the remedy in plain Chinese and English
 * and who can act on it.
 */
export type CheckStatus = 'ok' | 'warning' | 'fault' | 'not-run';

/** Who can act on a finding: the operator at the till, a technician at the counter, the tax office, factory repair. */
export type Actor = 'operator' | 'technician' | 'tax-office' | 'factory';

export const actorLabels: Readonly<Record<Actor, { zh: string; en: string }>> = {
  operator: { zh: '收银员（前台操作员）', en: 'operator at the till' },
  technician: { zh: '维修技术人员', en: 'service technician' },
  'tax-office': { zh: '主管税务机关', en: 'tax office' },
  factory: { zh: '生产厂家返修', en: 'factory repair' },
};

export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

export type Facts = Readonly<Record<string, string | number | boolean | null>>;

export interface CheckResult {
  /** Stable: reports, certificates and service records cite it. */
  readonly id: string;
  readonly measures: Bilingual;
  readonly status: CheckStatus;
  /** What was measured, as read (numbers, dates, versions). */
  readonly facts: Facts;
  /** The result in one sentence. */
  readonly summary: Bilingual;
  /** Why it did not run (only for not-run). */
  readonly reason?: Bilingual;
  /** What goes wrong if it is left (warning and fault). */
  readonly impact?: Bilingual;
  /** What to do next (warning and fault). */
  readonly remedy?: Bilingual;
  /** Who can do it (warning and fault). */
  readonly actor?: Actor;
  /** The register's ER code, card status word or gateway error code behind it, when there is one. */
  readonly code?: string;
}

/** What a check concludes, before the registry adds its id and what it measures. */
export type Outcome =
  | { readonly status: 'ok'; readonly summary: Bilingual; readonly facts?: Facts }
  | {
    readonly status: 'warning' | 'fault'; readonly summary: Bilingual; readonly facts?: Facts;
    readonly impact: Bilingual; readonly remedy: Bilingual; readonly actor: Actor; readonly code?: string;
  }
  | { readonly status: 'not-run'; readonly reason: Bilingual; readonly facts?: Facts };

/** Severity order, worst last: the report's worst finding is the highest. */
export const statusRank: Readonly<Record<CheckStatus, number>> = { ok: 0, 'not-run': 1, warning: 2, fault: 3 };
