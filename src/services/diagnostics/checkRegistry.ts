import type { CheckResult } from './Check.js';
import { cardChecks } from './checks/cardChecks.js';
import type { CheckDefinition } from './checks/CheckDefinition.js';
import { fiscalChecks } from './checks/fiscalChecks.js';
import { identityChecks } from './checks/identityChecks.js';
import { invoiceChecks } from './checks/invoiceChecks.js';
import { linkChecks } from './checks/linkChecks.js';
import { memoryChecks } from './checks/memoryChecks.js';
import { registerChecks } from './checks/registerChecks.js';
import type { Observations } from './Observations.js';

/** Every check diagnostics makes, in report order. Ids are stable: reports, certificates and records cite them. */
export const checkRegistry: readonly CheckDefinition[] = [
  ...linkChecks, ...identityChecks, ...registerChecks, ...fiscalChecks, ...memoryChecks, ...invoiceChecks, ...cardChecks,
];

/** Judges what was read with every check; a check that throws is a bug, reported as not-run rather than losing the report. */
export function evaluateChecks(observations: Observations, registry: readonly CheckDefinition[] = checkRegistry): CheckResult[] {
  return registry.map((check) => {
    let outcome;
    try {
      outcome = check.evaluate(observations);
    } catch (error) {
      outcome = { status: 'not-run' as const, reason: { zh: '检查本身出错', en: `The check itself failed: ${String(error)}` } };
    }
    const base = { id: check.id, measures: check.measures, facts: outcome.facts ?? {} };
    if (outcome.status === 'not-run') {
      return { ...base, status: 'not-run', reason: outcome.reason, summary: { zh: `未检查：${outcome.reason.zh}`, en: `Not run: ${outcome.reason.en}` } };
    }
    if (outcome.status === 'ok') return { ...base, status: 'ok', summary: outcome.summary };
    return {
      ...base, status: outcome.status, summary: outcome.summary, impact: outcome.impact, remedy: outcome.remedy, actor: outcome.actor,
      ...(outcome.code === undefined ? {} : { code: outcome.code }),
    };
  });
}
