import type { InitializationFacts } from './InitializationFacts.js';

/**
 * Where a run starts, from what the cards, the register and this gateway's memory say:
 * - `fresh`: the fiscal card is not registered, or uncertain with nothing of this gateway's pending
 *   (GET_REGISTER_NB then decides: a registered card refuses it; no PIN try is spent); the whole flow runs.
 * - `write`: this gateway registered the fiscal card for this machine and holds its PIN, and the
 *   register is not initialized yet: the run resumes at GB link 30.
 * - `verify`: the register was initialized with this fiscal card by this gateway's interrupted
 *   run, whose read-back never finished: the run resumes at the read-back.
 * - `none`: nothing this gateway can continue (the checks say why).
 */
export type ResumePlan = 'fresh' | 'write' | 'verify' | 'none';

export function resumePlan(facts: InitializationFacts): ResumePlan {
  const fiscal = facts.fiscal.read ? facts.fiscal.data : undefined;
  if (fiscal === undefined) return 'none';
  const state = fiscal.registration.state;
  if (state === 'not-registered') return 'fresh';
  const pending = facts.pending;
  // Resuming would make the register verify the PIN: never while the registration is uncertain.
  if (state === 'uncertain') return pending === undefined ? 'fresh' : 'none';
  if (pending === undefined || pending.machineNumber !== facts.factory.machineNumber) return 'none';
  if (facts.status.initialized) {
    return facts.userInfo?.fiscalCardNumber === fiscal.basic.cardNumber ? 'verify' : 'none';
  }
  return pending.pin !== null ? 'write' : 'none';
}
