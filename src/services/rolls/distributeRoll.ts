import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { CardSession, CardSessionOptions } from '../../devices/CardSession.js';
import type { StageReporter } from '../common/ProgressPort.js';
import { deregistrationOf } from '../common/deregistrationOf.js';
import type { PastRecord } from '../common/PastRecord.js';
import { isInDoubt } from '../common/linkFailure.js';
import { stepFailure, type ChangeStatement } from '../common/stepFailure.js';
import { inspectRolls, mountedOnFiscalCard, recentRolls } from './inspectRolls.js';
import { lastDistribution, type DistributionMark } from './lastDistribution.js';
import { planRoll } from './planRoll.js';
import { readSlotUserCard } from '../common/readSlotUserCard.js';
import { openSlotCard } from '../common/openSlotCard.js';
import { guardRegisterPinCheck, triesLeftAfterRefusal } from '../common/registerPinGuard.js';
import { pinTriesLeftOrNull } from '../../../protocols/gb18240-card/pinTries.js';
import { rollText, sameRoll, type RollFacts, type RollRange } from './RollFacts.js';
import type { RollRegister } from './RollRegister.js';
import type { RollRequest } from './rollRequest.js';

export const ROLL_JOB_KIND = 'roll';

/** 31 and 50 change the user card, fiscal memory and the fiscal card: a cancel waits for their end. */
export const rollStages = [
  { id: 'inspect', weight: 2 },
  { id: 'distribute', weight: 3, critical: true },
  { id: 'mount', weight: 3, critical: true },
  { id: 'verify', weight: 2 },
] as const;

export interface RollResult {
  readonly machineNumber: string;
  readonly roll: RollRange & { readonly numbers: number };
  /** True when this run mounted a roll an interrupted run had left distributed but not mounted. */
  readonly recovered: boolean;
  /** Rolls the user card still holds (EF05), when the card was read after the distribution. */
  readonly rollsLeftOnUserCard: number | null;
  readonly rollsOnFiscalCard: number;
  readonly pinTriesLeft: number | null;
  readonly warnings: readonly string[];
}

const statements = {
  nothing: { 'zh-CN': '未作任何更改', en: 'nothing was changed' },
  distributeInDoubt: {
    'zh-CN': '分发命令的应答丢失，读回也没有找到新的发票卷：用户卡可能已交出一卷而收款机没有保存。再次运行时，收款机里有这一卷就写入税控卡；用户卡交出的一卷下落不明就拒绝（ROLL_ORPHANED），不会再分发一卷',
    en: 'the reply to the distribution was lost and no new roll shows in the register: the user card may have handed out a roll the register did not store. Running again mounts the roll if the register holds it, and refuses (ROLL_ORPHANED) if the card gave out a roll that cannot be found: it never distributes another',
  },
  distributedNotMounted: {
    'zh-CN': '发票卷已从用户卡分发到收款机，但尚未写入税控卡；再次运行会写入这一卷',
    en: 'the roll was distributed from the user card into the register but is not mounted on the fiscal card; running again mounts this roll',
  },
  pinRefused: {
    'zh-CN': '发票卷已分发到收款机；收款机的口令校验失败，网关不会自动重试',
    en: 'the roll is in the register; the register\'s PIN check failed and the gateway does not retry it',
  },
  mountInDoubt: {
    'zh-CN': '写入税控卡命令的应答丢失，是否已写入不明；请先用 fiscalctl card <设备>/fiscal 查看税控卡上的发票卷，再决定是否重新运行',
    en: 'the reply to the mount was lost and whether the roll is mounted is unknown; look at the fiscal card\'s rolls with fiscalctl card <device>/fiscal before running again',
  },
  mountedUnverified: {
    'zh-CN': '发票卷已分发，收款机也已应答写入税控卡，但回读核对没有完成；开票前请用 fiscalctl card <设备>/fiscal 查看税控卡上的发票卷。不要再次运行发票分发：那会再分发一卷',
    en: 'the roll was distributed and the register answered the mount, but the read-back was not finished: before issuing invoices look at the fiscal card\'s rolls with fiscalctl card <device>/fiscal. Do not run the distribution again: that would distribute another roll',
  },
  mounted: { 'zh-CN': '发票卷已分发并写入税控卡', en: 'the roll was distributed and mounted on the fiscal card' },
} as const satisfies Record<string, ChangeStatement>;

function before(facts: RollFacts) {
  const card = facts.userCard.found === 'user' ? facts.userCard.content : undefined;
  return {
    register: { distributedRollCount: facts.status.distributedRollCount, currentRoll: facts.status.currentRoll },
    recentRolls: facts.recentRolls.map((r) => ({ ...r })),
    fiscalCard: { mountedRolls: facts.fiscalRolls.length },
    userCard: card === undefined
      ? { found: facts.userCard.found }
      : {
        cardNumber: card.basic.cardNumber,
        purchasedRolls: card.purchasedRolls.map((r) => ({ invoiceCode: r.invoiceCode, start: r.start, end: r.end, rollCount: r.rollCount })),
        lastDistributed: card.lastDistributed === null ? null : rollText(card.lastDistributed),
      },
  };
}

/**
 * GB link 31. After a lost answer RegisterSession reads the register back: one more distributed roll
 * is the answer; anything else is LINK_IN_DOUBT and 31 is never sent again (the user card may have
 * handed out a roll the register never stored). The next run finds such a roll in the register (32)
 * or on the user card (EF07).
 */
async function distribute(register: RollRegister, onInDoubt: () => void): Promise<RollRange> {
  try {
    return await register.distributeInvoiceNumbers();
  } catch (error) {
    if (isGatewayError(error, 'LINK_NOTHING_TO_DISTRIBUTE')) throw new GatewayError('ROLL_NONE_LEFT', { cause: error });
    if (!isInDoubt(error)) throw stepFailure('ROLL_STEP_FAILED', 'distribute (GB link 31)', error, statements.nothing);
    onInDoubt();
    throw stepFailure('ROLL_STEP_FAILED', 'distribute (GB link 31)', error, statements.distributeInDoubt);
  }
}

async function mount(register: RollRegister, fiscal: CardSession, roll: RollRange): Promise<void> {
  try {
    await register.inputInvoiceNumbers(roll);
  } catch (error) {
    if (isGatewayError(error, 'LINK_PIN_CHECK_FAILED')) {
      const triesLeft = await triesLeftAfterRefusal(fiscal);
      throw stepFailure('ROLL_STEP_FAILED', 'mount (GB link 50)', error, statements.pinRefused, { triesLeft: triesLeft ?? null, roll });
    }
    throw stepFailure('ROLL_STEP_FAILED', 'mount (GB link 50)', error, isInDoubt(error) ? statements.mountInDoubt : statements.distributedNotMounted, { roll });
  }
}

/** After 50: the register shows the roll mounted (32) and the fiscal card holds it (EF05). */
async function verify(register: RollRegister, roll: RollRange, options: CardSessionOptions | undefined) {
  const status = await register.status();
  const stored = (await recentRolls(register, status)).find((r) => sameRoll(r, roll));
  const onCard = await mountedOnFiscalCard(register, options);
  const mismatches: string[] = [];
  if (stored === undefined) mismatches.push('register: roll not found (32)');
  else if (stored.state === 'distributed') mismatches.push('register: roll still marked distributed, not mounted (32)');
  if (!onCard.some((r) => sameRoll(r, roll))) mismatches.push('fiscal card: roll not in EF05');
  if (mismatches.length > 0) {
    throw new GatewayError('ROLL_READBACK_MISMATCH', { params: { fields: mismatches.join('; ') }, data: { roll, mismatches } });
  }
  return { status, onCard };
}

export interface RollRunOptions {
  readonly card?: CardSessionOptions;
  /** This gateway's earlier service records of the register: a deregistered register is refused, a lost 31 remembered. */
  readonly history?: readonly PastRecord[];
}

/**
 * Puts one invoice roll from the user card in the register's slot onto its fiscal card through the
 * register: GB link 31 (the register runs DISTRIBUTE_INVOICE_NB on the user card and stores the roll
 * with its MAC) then 50 (the register runs VERIFY_FISCAL_PIN with the PIN it holds, then
 * INPUT_INVOICE_NB). The gateway sends no PIN; before 31 it asks the card's tries left without
 * spending one. A roll an earlier run left distributed but not mounted is mounted instead, so a roll
 * is never distributed twice; the user card's EF07 exposes one the register lost, and a 31 whose
 * answer was lost is remembered in the service record (`after.distribution`) so that the next run
 * refuses rather than take a second roll. A register this gateway deregistered is refused.
 * Every failure after the plan says what was changed (`data.changed`).
 */
export async function runRollDistribution(
  register: RollRegister, request: RollRequest, reporter: StageReporter, options: RollRunOptions = {},
): Promise<RollResult> {
  let step = 'inspect';
  let changed: ChangeStatement = statements.nothing;
  let roll: RollRange | undefined;
  const mark = (distribution: DistributionMark) => reporter.record({ after: { ...distribution, changed } });
  try {
    reporter.stage(step);
    const deregistered = deregistrationOf(options.history ?? []);
    if (deregistered !== undefined) {
      throw new GatewayError('ROLL_REGISTER_DEREGISTERED', { params: { at: deregistered.at }, data: { ...deregistered } });
    }
    const previous = lastDistribution(options.history ?? []);
    const facts = await inspectRolls(register, options.card);
    reporter.record({ action: ROLL_JOB_KIND, machineNumber: facts.machineNumber, before: before(facts) });
    let plan;
    try {
      plan = planRoll(facts, previous);
    } catch (error) {
      // A roll the card gave out during a lost 31 stays in doubt until it turns up or the card moves on.
      if (isGatewayError(error, 'ROLL_ORPHANED') && previous?.distribution === 'in-doubt') mark(previous);
      throw error;
    }
    const userCardLastRoll = facts.userCard.found === 'user' ? facts.userCard.content.lastDistributed : null;
    mark({ distribution: 'settled' });
    const fiscal = await openSlotCard(register, 'fiscal', options.card);
    // Refuse a last-try PIN check before anything is taken from the user card (nothing verifies the PIN until 50).
    const triesBefore = await guardRegisterPinCheck(fiscal, { allowLastPinTry: request.allowLastPinTry, lastTryCode: 'ROLL_PIN_LAST_TRY' });
    reporter.progress(1, plan.action === 'distribute' ? 'ready to distribute' : `mounting roll ${rollText(plan.roll)} left by an earlier run`);

    reporter.stage(step = 'distribute');
    // Before 31 leaves: a kill from here until its answer is settled leaves a 31 in doubt, with EF07 as it was
    // (src/jobs/ENGINE.md), so the resumed job mounts what the register took, or refuses an orphan: never a second roll.
    if (plan.action === 'distribute') {
      reporter.checkpoint({ distribution: 'in-doubt', userCardLastRoll: userCardLastRoll === null ? null : { ...userCardLastRoll } } satisfies DistributionMark);
    }
    roll = plan.action === 'distribute'
      ? await distribute(register, () => {
        changed = statements.distributeInDoubt;
        mark({ distribution: 'in-doubt', userCardLastRoll: userCardLastRoll === null ? null : { ...userCardLastRoll } });
      })
      : plan.roll;
    changed = statements.distributedNotMounted;
    reporter.checkpoint({ distribution: 'settled' } satisfies DistributionMark);
    mark({ distribution: 'settled' });
    reporter.progress(1, `roll ${rollText(roll)}`);

    reporter.stage(step = 'mount');
    await mount(register, fiscal, roll);
    changed = statements.mountedUnverified;
    mark({ distribution: 'settled' });
    reporter.progress(1, 'mounted');

    reporter.stage(step = 'verify');
    const { status, onCard } = await verify(register, roll, options.card);
    const card = await rollsLeftOnUserCard(register, options.card);
    const pinTriesLeft = await fiscal.pinTriesLeft().then(pinTriesLeftOrNull, () => triesBefore);
    changed = statements.mounted;
    reporter.record({
      after: {
        distribution: 'settled',
        register: { distributedRollCount: status.distributedRollCount, currentRoll: status.currentRoll },
        roll: { ...roll, mounted: true }, fiscalCard: { mountedRolls: onCard.length },
        userCard: { rollsLeft: card }, changed,
      },
    });
    reporter.progress(1, 'verified');
    return {
      machineNumber: facts.machineNumber,
      roll: { invoiceCode: roll.invoiceCode, start: roll.start, end: roll.end, numbers: roll.end - roll.start + 1 },
      recovered: plan.action === 'mount-pending',
      rollsLeftOnUserCard: card,
      rollsOnFiscalCard: onCard.length,
      pinTriesLeft: pinTriesLeft ?? null,
      warnings: plan.warnings,
    };
  } catch (error) {
    throw withRollStatement(error, step, changed, roll);
  }
}

const stepNames: Readonly<Record<string, string>> = {
  distribute: 'distribute (GB link 31)', mount: 'mount (GB link 50)', verify: 'verify (GB link 32, fiscal card EF05)',
};

/** A failure that does not say yet what was changed (a cancel between stages, a read of the verify stage) says it now. */
function withRollStatement(error: unknown, step: string, changed: ChangeStatement, roll: RollRange | undefined): unknown {
  if (isGatewayError(error) && error.data.changed !== undefined) return error;
  const extra = roll === undefined ? {} : { roll };
  if (isGatewayError(error) && !isInDoubt(error)) {
    return new GatewayError(error.code, { params: error.params, data: { ...error.data, changed, ...extra }, cause: error });
  }
  return stepFailure('ROLL_STEP_FAILED', stepNames[step] ?? step, error, changed, extra);
}

/** Rolls the user card still holds (EF05), read after the mount; null when the card cannot be read then (the roll is mounted all the same). */
async function rollsLeftOnUserCard(register: RollRegister, options: CardSessionOptions | undefined): Promise<number | null> {
  try {
    const card = await readSlotUserCard(register.cardChannel('user'), options);
    return card.found === 'user' ? card.content.purchasedRolls.reduce((sum, batch) => sum + batch.rollCount, 0) : null;
  } catch (error) {
    if (isGatewayError(error)) return null;
    throw error;
  }
}
