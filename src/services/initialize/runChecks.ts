import { GatewayError, type ErrorCode, type ErrorParams } from '../../../contracts/errors/index.js';
import { checkIds, checkTitles, type CheckId, type InitializationCheck } from './InitializationCheck.js';
import type { CardFacts, FiscalCardFacts, InitializationFacts, UserCardFacts } from './InitializationFacts.js';
import { resumePlan, type ResumePlan } from './resumePlan.js';

export interface CheckOptions {
  /** Largest register clock offset accepted, seconds. */
  readonly clockToleranceSeconds: number;
  /** Resuming at GB link 30 makes the register verify the PIN: allowed on the card's last try only when asked. */
  readonly allowLastPinTry?: boolean;
  /** The kept PIN was sent once (GB link 30 unanswered) and the register is not initialized: send it again only when asked. */
  readonly resendPin?: boolean;
}

type Outcome =
  | { readonly kind: 'pass'; readonly expected?: string; readonly actual?: string; readonly note?: { 'zh-CN': string; en: string } }
  | {
    readonly kind: 'fail'; readonly code: ErrorCode; readonly params?: ErrorParams; readonly expected?: string; readonly actual?: string;
    /** Parameters that read differently in Chinese (a card kind, a cause's own text): the check's zh-CN message uses these. */
    readonly paramsZh?: ErrorParams;
  }
  | { readonly kind: 'skip'; readonly because: { 'zh-CN': string; en: string } };

const pass = (expected?: string, actual?: string, note?: { 'zh-CN': string; en: string }): Outcome => ({
  kind: 'pass', ...(expected === undefined ? {} : { expected }), ...(actual === undefined ? {} : { actual }), ...(note === undefined ? {} : { note }),
});
const fail = (code: ErrorCode, params: ErrorParams, expected?: string, actual?: string, paramsZh?: ErrorParams): Outcome => ({
  kind: 'fail', code, params, ...(expected === undefined ? {} : { expected }), ...(actual === undefined ? {} : { actual }),
  ...(paramsZh === undefined ? {} : { paramsZh }),
});
const skip = (zh: string, en: string): Outcome => ({ kind: 'skip', because: { 'zh-CN': zh, en } });

const fiscalUnread = skip('税控卡未能读取', 'the fiscal card could not be read');
const userUnread = skip('用户卡未能读取', 'the user card could not be read');

const kindNames: Readonly<Record<string, { 'zh-CN': string; en: string }>> = {
  fiscal: { 'zh-CN': '税控卡', en: 'a fiscal card' },
  user: { 'zh-CN': '用户卡', en: 'a user card' },
  inspection: { 'zh-CN': '稽查卡', en: 'an inspection card' },
  upgrade: { 'zh-CN': '升级卡', en: 'an upgrade card' },
  unknown: { 'zh-CN': '无法识别的卡', en: 'a card of no known kind' },
};

function cardTypeCheck<T>(card: CardFacts<T>, expected: 'fiscal' | 'user'): Outcome {
  const unreadable: ErrorCode = expected === 'fiscal' ? 'INIT_FISCAL_CARD_UNREADABLE' : 'INIT_USER_CARD_UNREADABLE';
  const wrongType: ErrorCode = expected === 'fiscal' ? 'INIT_FISCAL_CARD_WRONG_TYPE' : 'INIT_USER_CARD_WRONG_TYPE';
  if (!card.read) {
    return fail(unreadable, { where: card.where, cause: card.error.localized('en') }, expected, card.error.code, { cause: card.error.localized('zh-CN') });
  }
  if (card.kind !== expected || card.data === undefined) {
    const name = kindNames[card.kind] ?? kindNames.unknown!;
    return fail(wrongType, { where: card.where, found: name.en }, expected, card.kind, { found: name['zh-CN'] });
  }
  return pass(expected, expected);
}

function within(today: string, start: string, end: string, cardNumber: string): Outcome {
  const range = `${start} … ${end}`;
  if (today < start) return fail('INIT_CARD_NOT_YET_VALID', { cardNumber, start, today }, range, today);
  if (today > end) return fail('INIT_CARD_EXPIRED', { cardNumber, validUntil: end, today }, range, today);
  return pass(range, today);
}

/**
 * The dry run's checks over what was read, in order, each with its own code. Every check that can be
 * evaluated is, so the technician sees the whole list at once; a check that needs an unreadable card
 * is skipped and the card's own check says why.
 */
export interface CheckOutcome {
  readonly checks: InitializationCheck[];
  readonly plan: ResumePlan;
  /** The error of each failed check, with its parameters. */
  readonly errors: ReadonlyMap<CheckId, GatewayError>;
}

export function runChecks(facts: InitializationFacts, options: CheckOptions): CheckOutcome {
  const plan = resumePlan(facts);
  const fiscal: FiscalCardFacts | undefined = facts.fiscal.read && facts.fiscal.kind === 'fiscal' ? facts.fiscal.data : undefined;
  const user: UserCardFacts | undefined = facts.user.read && facts.user.kind === 'user' ? facts.user.data : undefined;
  const machine = facts.factory.machineNumber;
  const control = fiscal === undefined ? undefined : user?.controls.find((c) => c.fiscalCardNumber === fiscal.basic.cardNumber);

  const evaluate: Record<CheckId, () => Outcome> = {
    'fiscal-card-type': () => {
      const outcome = cardTypeCheck(facts.fiscal, 'fiscal');
      if (outcome.kind === 'pass' && fiscal !== undefined && fiscal.basic.cardType !== 0x00) {
        return fail('INIT_FISCAL_CARD_WRONG_TYPE', { where: facts.fiscal.where, found: `card type ${fiscal.basic.cardType} in EF02` }, '00',
          String(fiscal.basic.cardType), { found: `EF02 卡类型为 ${fiscal.basic.cardType}` });
      }
      return outcome;
    },
    'user-card-type': () => {
      const outcome = cardTypeCheck(facts.user, 'user');
      if (outcome.kind === 'pass' && user !== undefined && user.basic.cardType !== 0x01) {
        return fail('INIT_USER_CARD_WRONG_TYPE', { where: facts.user.where, found: `card type ${user.basic.cardType} in EF02` }, '01',
          String(user.basic.cardType), { found: `EF02 卡类型为 ${user.basic.cardType}` });
      }
      return outcome;
    },
    'fiscal-card-not-registered': () => {
      if (fiscal === undefined) return fiscalUnread;
      const registration = fiscal.registration.state;
      if (registration === 'not-registered') return pass('not registered', 'not registered');
      if (registration === 'uncertain') {
        if (plan !== 'fresh') return fail('CARD_REGISTRATION_UNCERTAIN', {}, 'not registered', 'uncertain');
        return pass('not registered', 'uncertain', {
          'zh-CN': '无法确定是否已注册：注册时由税控卡自行判断（已注册的卡会拒绝），不耗用口令机会',
          en: 'uncertain: the fiscal card decides at registration (a registered card refuses it); no PIN try is spent',
        });
      }
      if (plan === 'write') {
        return pass('not registered', 'registered by this gateway', {
          'zh-CN': '本网关上次初始化已注册此卡并保存了口令，将从写入收款机继续', en: 'registered by this gateway\'s interrupted run, which kept its PIN: the run resumes at writing the register',
        });
      }
      if (plan === 'verify') {
        return pass('not registered', 'registered by this gateway', {
          'zh-CN': '本网关上次初始化已完成写入，将从回读校验继续', en: 'this gateway\'s interrupted run wrote the register: the run resumes at the read-back',
        });
      }
      const lost = facts.pending !== undefined && facts.pending.pin === null;
      return fail('INIT_FISCAL_CARD_REGISTERED', { cardNumber: fiscal.basic.cardNumber }, 'not registered',
        lost ? 'registered during an interrupted initialization whose PIN never arrived' : 'registered');
    },
    'machine-number': () => {
      if (fiscal === undefined) return fiscalUnread;
      if (fiscal.basic.machineNumber !== machine) {
        return fail('INIT_WRONG_MACHINE', { cardMachine: fiscal.basic.machineNumber, registerMachine: machine }, machine, fiscal.basic.machineNumber);
      }
      return pass(machine, fiscal.basic.machineNumber);
    },
    taxpayer: () => {
      if (fiscal === undefined) return fiscalUnread;
      if (user === undefined) return userUnread;
      const expected = `${fiscal.basic.taxpayerNumber} ${fiscal.basic.taxpayerId}`;
      const actual = `${user.basic.taxpayerNumber} ${user.basic.taxpayerId}`;
      if (expected !== actual) {
        return fail('INIT_TAXPAYER_MISMATCH', { fiscalTaxpayer: expected, userTaxpayer: actual }, expected, actual);
      }
      return pass(expected, actual);
    },
    'user-card-lists-machine': () => {
      if (fiscal === undefined) return fiscalUnread;
      if (user === undefined) return userUnread;
      const wanted = `${machine} / ${fiscal.basic.cardNumber}`;
      const listed = user.machines.map((m) => `${m.machineNumber} / ${m.fiscalCardNumber}`);
      if (!listed.includes(wanted)) {
        return fail('INIT_USER_CARD_LACKS_MACHINE', { machineNumber: machine, fiscalCardNumber: fiscal.basic.cardNumber }, wanted, listed.join(', ') || 'none');
      }
      return pass(wanted, wanted);
    },
    'fiscal-card-validity': () => (fiscal === undefined ? fiscalUnread
      : within(facts.today, fiscal.basic.applicationStart, fiscal.basic.validUntil, fiscal.basic.cardNumber)),
    'user-card-validity': () => (user === undefined ? userUnread
      : within(facts.today, user.basic.applicationStart, user.basic.validUntil, user.basic.cardNumber)),
    'issue-deadline': () => {
      if (fiscal === undefined) return fiscalUnread;
      if (control === undefined) return skip('用户卡上没有本税控卡的监控数据', 'the user card holds no limits for this fiscal card');
      const deadline = control.controls.issueDeadline;
      const order = `${facts.today} ≤ ${deadline} ≤ ${fiscal.basic.validUntil}`;
      if (facts.today > deadline) return fail('INIT_DEADLINE_PASSED', { deadline, today: facts.today }, order, deadline);
      if (deadline > fiscal.basic.validUntil) {
        return fail('INIT_DATES_OUT_OF_ORDER', { deadline, validUntil: fiscal.basic.validUntil }, order, deadline);
      }
      return pass(order, deadline);
    },
    'tax-items': () => {
      if (user === undefined) return userUnread;
      const indexes = user.taxItems.map((t) => t.index);
      const needed = (fiscal?.monitoring.taxIndex ?? []).filter((i) => i !== 0);
      const missing = needed.filter((i) => !indexes.includes(i));
      if (user.taxItems.length === 0 || missing.length > 0) {
        return fail('INIT_NO_TAX_ITEMS', { missing: missing.join(',') || '-' }, needed.join(','), indexes.join(',') || 'none');
      }
      return pass(needed.join(','), indexes.join(','));
    },
    limits: () => {
      if (fiscal === undefined) return fiscalUnread;
      if (user === undefined) return userUnread;
      if (control === undefined) {
        return fail('INIT_NO_LIMITS', { fiscalCardNumber: fiscal.basic.cardNumber }, fiscal.basic.cardNumber,
          user.controls.map((c) => c.fiscalCardNumber).join(', ') || 'none');
      }
      const c = control.controls;
      return pass(fiscal.basic.cardNumber, `${c.singleInvoiceLimit} / ${c.cumulativeLimit} / ${c.returnLimit} fen`);
    },
    'register-not-initialized': () => {
      if (!facts.status.initialized) return pass('not initialized', 'not initialized');
      const card = facts.userInfo?.fiscalCardNumber ?? 'unknown';
      if (plan === 'verify') {
        return pass('not initialized', `initialized with ${card}`, {
          'zh-CN': '本网关上次运行已写入，将回读校验', en: 'written by this gateway\'s interrupted run: it will be read back and verified',
        });
      }
      return fail('INIT_ALREADY_INITIALIZED', { fiscalCardNumber: card }, 'not initialized', `initialized with ${card}`);
    },
    'fiscal-slot': () => {
      if (plan === 'verify') return skip('收款机已写入，无需再读税控卡', 'the register is written already and needs the card no more');
      if (facts.status.fiscalSlot === 'empty') return fail('INIT_FISCAL_SLOT_EMPTY', {}, 'card present', 'empty');
      return pass('card present', facts.status.fiscalSlot);
    },
    'register-clock': () => {
      const offset = facts.clockOffsetSeconds;
      const expected = `|offset| ≤ ${options.clockToleranceSeconds} s`;
      if (Math.abs(offset) > options.clockToleranceSeconds) {
        return fail('INIT_CLOCK_OFF', { registerTime: facts.registerTime, hostTime: facts.hostTime, offset, tolerance: options.clockToleranceSeconds },
          expected, `${offset} s (${facts.registerTime})`);
      }
      return pass(expected, `${offset} s`);
    },
    'pin-tries': () => {
      if (fiscal === undefined) return fiscalUnread;
      if (plan === 'fresh') {
        return pass(undefined, undefined, { 'zh-CN': '注册时卡片给出新口令，不耗用次数', en: 'the card gives a fresh PIN at registration; no try is spent' });
      }
      if (plan !== 'write') return skip('不会校验口令', 'no PIN will be verified');
      // The PIN left the gateway once and the register did not take it: the card may have rotated it already.
      if (facts.pending?.stage === 'pin-sent' && options.resendPin !== true) return fail('INIT_PIN_IN_DOUBT', {}, 'unused PIN', 'sent once, unanswered');
      const tries = fiscal.pinTries;
      if (tries?.known === true && tries.left === 0) return fail('INIT_PIN_LOCKED', {}, '≥ 2', '0');
      // The register's PIN check at GB link 30 spends a try; unknown tries might be the last (gb18240-card SPEC.md §2.3).
      if (tries?.known !== true) {
        if (options.allowLastPinTry !== true) return fail('CARD_PIN_TRIES_UNKNOWN', {}, '≥ 2', 'unknown');
        return pass('≥ 2', 'unknown', { 'zh-CN': '次数未知，已获准可能用掉最后一次', en: 'unknown, allowed to spend what may be the last try' });
      }
      if (tries.left === 1 && options.allowLastPinTry !== true) return fail('INIT_PIN_LAST_TRY', { triesLeft: 1 }, '≥ 2', '1');
      return pass('≥ 2', String(tries.left));
    },
  };

  const errors = new Map<CheckId, GatewayError>();
  const checks = checkIds.map((id): InitializationCheck => {
    const outcome = evaluate[id]();
    const title = checkTitles[id];
    if (outcome.kind === 'fail') {
      const error = new GatewayError(outcome.code, { params: outcome.params ?? {} });
      errors.set(id, error);
      const zh = outcome.paramsZh === undefined ? error : new GatewayError(outcome.code, { params: { ...outcome.params, ...outcome.paramsZh } });
      const remedyZh = zh.remedy('zh-CN');
      const remedyEn = error.remedy('en');
      return {
        id, title, passed: false, skipped: false, code: outcome.code,
        expected: outcome.expected ?? null, actual: outcome.actual ?? null,
        message: { 'zh-CN': zh.localized('zh-CN'), en: error.localized('en') },
        ...(remedyZh !== undefined && remedyEn !== undefined ? { remedy: { 'zh-CN': remedyZh, en: remedyEn } } : {}),
      };
    }
    if (outcome.kind === 'skip') {
      return { id, title, passed: false, skipped: true, code: null, expected: null, actual: null, message: { 'zh-CN': `未检查：${outcome.because['zh-CN']}`, en: `Not checked: ${outcome.because.en}` } };
    }
    return {
      id, title, passed: true, skipped: false, code: null, expected: outcome.expected ?? null, actual: outcome.actual ?? null,
      message: outcome.note ?? { 'zh-CN': '通过', en: 'Passed' },
    };
  });
  return { checks, plan, errors };
}

/**
 * The one error that stands for a failed check list, with the lead check's own code and text:
 * "already initialized" first (nothing else matters then), else the first failed check in flow
 * order; the whole list rides along in `data.checks`. Undefined when nothing failed (a skipped
 * check whose card was read is not a failure: e.g. no PIN is verified when only the read-back is left).
 */
export function checksError(outcome: CheckOutcome): GatewayError | undefined {
  const failed = outcome.checks.filter((c) => !c.passed && !c.skipped);
  if (failed.length === 0) return undefined;
  const lead = failed.find((c) => c.code === 'INIT_ALREADY_INITIALIZED') ?? failed[0]!;
  const error = outcome.errors.get(lead.id)!;
  return new GatewayError(error.code, { params: error.params, data: { check: lead.id, failedChecks: failed.map((c) => c.id), checks: outcome.checks } });
}
