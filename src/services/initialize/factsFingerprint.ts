import type { InitializationFacts } from './InitializationFacts.js';
import { registeredOrNull } from '../../../protocols/gb18240-card/registration.js';
import type { ResumePlan } from './resumePlan.js';

/**
 * The facts a confirmation token is bound to: which register, which cards where, their registration
 * and the data that would be written, the register's state and the plan. The clock is left out (it
 * moves); its check is simply run again. A field that differs at the real run is named.
 */
export type FactsFingerprint = Readonly<Record<string, string>>;

export function factsFingerprint(facts: InitializationFacts, plan: ResumePlan): FactsFingerprint {
  const fiscal = facts.fiscal.read ? facts.fiscal.data : undefined;
  const user = facts.user.read ? facts.user.data : undefined;
  const control = fiscal === undefined ? undefined : user?.controls.find((c) => c.fiscalCardNumber === fiscal.basic.cardNumber);
  return {
    device: facts.deviceId,
    machineNumber: facts.factory.machineNumber,
    plan,
    fiscalCardWhere: facts.fiscal.where,
    userCardWhere: facts.user.where,
    fiscalCard: fiscal === undefined ? 'unread' : JSON.stringify({ ...fiscal.basic, monitoring: fiscal.monitoring }),
    fiscalCardRegistered: fiscal === undefined ? 'unread' : String(registeredOrNull(fiscal.registration.state) ?? 'uncertain'),
    userCard: user === undefined ? 'unread' : JSON.stringify(user.basic),
    taxItems: JSON.stringify(user?.taxItems ?? null),
    limits: JSON.stringify(control?.controls ?? null),
    machines: JSON.stringify(user?.machines ?? null),
    registerInitialized: String(facts.status.initialized),
    registerFiscalCard: facts.userInfo?.fiscalCardNumber ?? 'none',
  };
}

/** Names of the fingerprint fields that differ. */
export function changedFields(before: FactsFingerprint, after: FactsFingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]);
}
