import { GatewayError } from '../../../contracts/errors/index.js';
import type { DistributionMark } from './lastDistribution.js';
import { sameRoll, type RollFacts, type RollRange } from './RollFacts.js';
import { userCardProblem } from '../common/readSlotUserCard.js';

export type RollPlan =
  /** A roll the register took from the user card (31) but never mounted (50): mount it, distribute nothing. */
  | { readonly action: 'mount-pending'; readonly roll: RollRange; readonly warnings: readonly string[] }
  | { readonly action: 'distribute'; readonly warnings: readonly string[] };

/**
 * Decides what a roll request does, from facts alone:
 * - register not initialized → ROLL_REGISTER_NOT_INITIALIZED;
 * - a roll distributed but not mounted (an interrupted run) → mount that one, never distribute again;
 * - the user card's EF07 names a roll this register and its fiscal card do not hold, and either the
 *   card serves no other machine or this register's last 31 lost its answer while EF07 read otherwise
 *   (`previous`) → ROLL_ORPHANED (the card gave it out, the register lost it): never a second roll;
 * - a user card that is not this taxpayer's, does not list this machine, or has no roll → refused
 *   before anything is taken from it (a roll taken for the wrong register could never be mounted).
 */
export function planRoll(facts: RollFacts, previous?: DistributionMark): RollPlan {
  const { status, userInfo } = facts;
  if (!status.initialized || userInfo === undefined) throw new GatewayError('ROLL_REGISTER_NOT_INITIALIZED');
  const pending = facts.recentRolls.find((roll) => roll.state === 'distributed');
  if (pending !== undefined) return { action: 'mount-pending', roll: pending, warnings: [] };

  const expected = { taxpayerNumber: userInfo.taxpayerNumber, machineNumber: facts.machineNumber, fiscalCardNumber: userInfo.fiscalCardNumber };
  const problem = userCardProblem(facts.userCard, expected);
  if (problem !== undefined || facts.userCard.found !== 'user') {
    throw new GatewayError('ROLL_USER_CARD_UNUSABLE', { params: { reason: problem ?? 'no user card' }, data: { where: facts.userCard.where } });
  }
  const card = facts.userCard.content;
  const warnings: string[] = [];
  const last = card.lastDistributed;
  if (last !== null) {
    const known = facts.recentRolls.some((roll) => sameRoll(roll, last)) || facts.fiscalRolls.some((roll) => sameRoll(roll, last));
    if (!known) {
      const onlyThisMachine = card.machines.every((m) => m.machineNumber === facts.machineNumber);
      const before = previous?.distribution === 'in-doubt' ? previous.userCardLastRoll : undefined;
      const takenByLostDistribution = before !== undefined && (before === null || !sameRoll(before, last));
      const roll = { invoiceCode: last.invoiceCode, start: last.start, end: last.end };
      if (onlyThisMachine || takenByLostDistribution) throw new GatewayError('ROLL_ORPHANED', { params: { ...roll }, data: { roll } });
      warnings.push(`the user card's last roll ${last.invoiceCode} ${last.start}–${last.end} went to another of its ${card.machines.length} machines`);
    }
  }
  if (card.purchasedRolls.length === 0) throw new GatewayError('ROLL_NONE_LEFT', { data: { userCardNumber: card.basic.cardNumber } });
  return { action: 'distribute', warnings };
}
