import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { CardSessionOptions } from '../../devices/CardSession.js';
import { CardSession } from '../../devices/CardSession.js';
import type { ConfirmationTokens, IssuedToken } from './ConfirmationTokens.js';
import { changedFields, factsFingerprint } from './factsFingerprint.js';
import { gatherFacts, readFiscalFacts } from './gatherFacts.js';
import type { InitializationCheck } from './InitializationCheck.js';
import { initializationContent, type InitializationContent } from './initializationData.js';
import type { FiscalCardFacts, InitializationFacts, UserCardFacts } from './InitializationFacts.js';
import type { PendingInitialization, PendingInitializations } from './PendingInitializations.js';
import type { InitializationTarget } from './RegisterPort.js';
import type { ResumePlan } from './resumePlan.js';
import { checksError, runChecks } from './runChecks.js';
import { isInDoubt, stepFailure } from './stepFailure.js';
import { verifyReadBack, type FieldComparison } from './verifyReadBack.js';

export interface InitializationSettings {
  /** Largest register clock offset accepted, seconds (default 300). */
  readonly clockToleranceSeconds: number;
  /** The register's zone, minutes east of UTC (default 480, China Standard Time). */
  readonly utcOffsetMinutes: number;
  readonly now?: () => number;
  readonly card?: CardSessionOptions;
}

export interface InitializationDeps {
  readonly pending: PendingInitializations;
  readonly tokens: ConfirmationTokens;
  readonly settings: InitializationSettings;
}

export interface InitializationOptions {
  /** Resuming at GB link 30 makes the register verify the PIN: on the card's last try only when this says so. */
  readonly allowLastPinTry?: boolean;
}

export interface DryRunResult {
  readonly deviceId: string;
  readonly machineNumber: string;
  /** True when every check passed: `confirmation` then holds the token for the real run. */
  readonly ok: boolean;
  /** Where the real run would start (`fresh`, or resuming an interrupted run at `write` or `verify`). */
  readonly plan: ResumePlan;
  readonly checks: InitializationCheck[];
  /** The failure that stands for the list: the lead check's own code and text. */
  readonly error?: { readonly code: string; readonly message: { 'zh-CN': string; en: string }; readonly remedy?: { 'zh-CN': string; en: string } };
  readonly confirmation?: IssuedToken;
}

/** What the job runner's context offers a run (src/jobs JobContext has all of it). */
export interface StageReporter {
  stage(id: string): void;
  progress(fraction: number, detail?: string): void;
  record(draft: { action?: string; machineNumber?: string; before?: unknown; after?: unknown }): void;
  throwIfCancelled(): void;
}

/** The stages of the real run, for the job runner: the card and register writes must not be cut by a cancel. */
export const initializationStages = [
  { id: 'recheck', weight: 2 },
  { id: 'authenticate', weight: 3, critical: true },
  { id: 'write', weight: 4, critical: true },
  { id: 'verify', weight: 2 },
] as const;

export interface InitializationResult {
  readonly deviceId: string;
  readonly machineNumber: string;
  /** Where this run started: `fresh`, or resumed at `write` / `verify`. */
  readonly startedAt: ResumePlan;
  readonly fiscalCardNumber: string;
  readonly userCardNumber: string;
  readonly taxpayerName: string;
  readonly initializationDate: string;
  /** Every read-back field against the card data; all match. */
  readonly readBack: FieldComparison[];
}

async function look(target: InitializationTarget, deps: InitializationDeps, options: InitializationOptions) {
  const facts = await gatherFacts(target, {
    pending: deps.pending, utcOffsetMinutes: deps.settings.utcOffsetMinutes,
    ...(deps.settings.now === undefined ? {} : { now: deps.settings.now }),
    ...(deps.settings.card === undefined ? {} : { card: deps.settings.card }),
  });
  const outcome = runChecks(facts, { clockToleranceSeconds: deps.settings.clockToleranceSeconds, allowLastPinTry: options.allowLastPinTry ?? false });
  return { facts, outcome };
}

/**
 * The dry run: every check of the initialization flow, in order, over what the cards and the register
 * say, changing nothing. When all pass, a single-use token bound to the device and to these facts.
 */
export async function dryRunInitialization(
  target: InitializationTarget, deps: InitializationDeps, options: InitializationOptions = {},
): Promise<DryRunResult> {
  const { facts, outcome } = await look(target, deps, options);
  const error = checksError(outcome);
  const base = { deviceId: target.deviceId, machineNumber: facts.factory.machineNumber, plan: outcome.plan, checks: outcome.checks };
  if (error !== undefined) {
    const remedyZh = error.remedy('zh-CN');
    const remedyEn = error.remedy('en');
    return {
      ...base, ok: false,
      error: {
        code: error.code, message: { 'zh-CN': error.localized('zh-CN'), en: error.localized('en') },
        ...(remedyZh !== undefined && remedyEn !== undefined ? { remedy: { 'zh-CN': remedyZh, en: remedyEn } } : {}),
      },
    };
  }
  return { ...base, ok: true, confirmation: deps.tokens.issue(target.deviceId, factsFingerprint(facts, outcome.plan)) };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

function stateOf(facts: InitializationFacts, plan: ResumePlan) {
  const fiscal = facts.fiscal.read ? facts.fiscal.data : undefined;
  const user = facts.user.read ? facts.user.data : undefined;
  return {
    plan,
    register: {
      machineNumber: facts.factory.machineNumber, initialized: facts.status.initialized, fiscalMode: facts.status.fiscalMode,
      fiscalSlot: facts.status.fiscalSlot, userSlot: facts.status.userSlot, clock: facts.registerTime, clockOffsetSeconds: facts.clockOffsetSeconds,
    },
    fiscalCard: { where: facts.fiscal.where, cardNumber: fiscal?.basic.cardNumber ?? null, registered: fiscal?.basic.registered ?? null },
    userCard: { where: facts.user.where, cardNumber: user?.basic.cardNumber ?? null },
  };
}

/** Mutual authentication (GB18240.md "Flows" step 6): GET_REGISTER_NB → REGISTER_SIGN → TERMINAL_REGISTER → PIN. */
async function authenticate(
  target: InitializationTarget, deps: InitializationDeps, entry: Omit<PendingInitialization, 'pin' | 'stage' | 'at'>, reporter: StageReporter,
): Promise<Uint8Array> {
  const cardOptions = deps.settings.card ?? {};
  const fiscalCard = new CardSession(target.cards.fiscal, cardOptions);
  const userCard = new CardSession(target.cards.user, cardOptions);
  const now = () => new Date((deps.settings.now ?? Date.now)()).toISOString();
  let challenge;
  try {
    challenge = await fiscalCard.getRegisterNb();
  } catch (error) {
    throw stepFailure('GET_REGISTER_NB', error, 'nothing-changed');
  }
  reporter.progress(0.3, 'GET_REGISTER_NB');
  let mac2;
  try {
    mac2 = await userCard.registerSign(challenge);
  } catch (error) {
    throw stepFailure('REGISTER_SIGN', error, 'nothing-changed');
  }
  reporter.progress(0.6, 'REGISTER_SIGN');
  // Remembered before the card is asked: if its answer is lost, the next dry run can say what happened.
  await deps.pending.put({ ...entry, pin: null, stage: 'registering', at: now() });
  let pin: Uint8Array;
  try {
    pin = await fiscalCard.terminalRegister(mac2);
  } catch (error) {
    if (!isInDoubt(error)) {
      await deps.pending.delete(entry.fiscalCardNumber);
      throw stepFailure('TERMINAL_REGISTER', error, 'nothing-changed');
    }
    const settled = await readFiscalFacts(target.cards.fiscal, cardOptions).catch(() => undefined);
    const card = settled?.read === true ? settled.data : undefined;
    if (card !== undefined && !card.basic.registered) {
      await deps.pending.delete(entry.fiscalCardNumber);
      throw stepFailure('TERMINAL_REGISTER', error, 'nothing-changed');
    }
    throw stepFailure('TERMINAL_REGISTER', error, card === undefined ? 'registration-in-doubt' : 'registered-pin-lost');
  }
  await deps.pending.put({ ...entry, pin: hex(pin), stage: 'registered', at: now() });
  reporter.progress(1, 'TERMINAL_REGISTER');
  return pin;
}

/** After a lost answer to 30: true when the register is initialized with this card, false when surely not, undefined when unknown. */
async function settleWrite(target: InitializationTarget, fiscalCardNumber: string): Promise<boolean | undefined> {
  try {
    const status = await target.register.status();
    if (!status.initialized) return false;
    const info = await target.register.userInfo();
    return info.fiscalCardNumber === fiscalCardNumber ? true : undefined;
  } catch {
    return undefined;
  }
}

/** GB link 30 with the initialization data and the PIN; a lost answer is settled by reading the register back. */
async function write(
  target: InitializationTarget, deps: InitializationDeps, content: InitializationContent, pin: Uint8Array,
): Promise<void> {
  try {
    await target.register.initialize({ ...content, pin: Uint8Array.from(pin) });
    return;
  } catch (error) {
    if (isGatewayError(error, 'LINK_PIN_CHECK_FAILED')) {
      // The card counted a wrong PIN: the gateway never tries it again.
      await deps.pending.delete(content.fiscalCardNumber);
      throw stepFailure('GB link 30', error, 'pin-refused');
    }
    if (!isInDoubt(error) && !isGatewayError(error, 'LINK_ALREADY_INITIALIZED')) throw stepFailure('GB link 30', error, 'card-registered');
    const settled = await settleWrite(target, content.fiscalCardNumber);
    if (settled === true) return;
    throw stepFailure('GB link 30', error, settled === false ? 'card-registered' : 'write-in-doubt');
  }
}

async function readBack(target: InitializationTarget, machineNumber: string, content: InitializationContent): Promise<FieldComparison[]> {
  try {
    const factory = await target.register.factoryData();
    const userInfo = await target.register.userInfo();
    const taxItems = await target.register.taxItems();
    const status = await target.register.status();
    return verifyReadBack(machineNumber, content, { factory, userInfo, taxItems, status });
  } catch (error) {
    throw stepFailure('read-back', error, 'written-unverified');
  }
}

/**
 * The real run, redeeming the dry run's token: re-check, mutual authentication through whatever
 * channels hold the cards, GB link 30, read-back of 37/38/39/41 compared field by field, and the
 * service record's before and after. A run interrupted after the card's registration resumes where
 * it stopped (the dry run says where); a failure names its step, its cause and what was changed.
 */
export async function runInitialization(
  target: InitializationTarget, deps: InitializationDeps, request: InitializationOptions & { readonly token: string }, reporter: StageReporter,
): Promise<InitializationResult> {
  reporter.stage('recheck');
  const bound = deps.tokens.redeem(request.token, target.deviceId);
  const { facts, outcome } = await look(target, deps, request);
  const refused = checksError(outcome);
  if (refused !== undefined) throw refused;
  const changed = changedFields(bound, factsFingerprint(facts, outcome.plan));
  if (changed.length > 0) throw new GatewayError('INIT_FACTS_CHANGED', { params: { fields: changed.join(', ') }, data: { fields: changed } });
  const fiscal = facts.fiscal.read ? facts.fiscal.data as FiscalCardFacts : undefined;
  const user = facts.user.read ? facts.user.data as UserCardFacts : undefined;
  if (fiscal === undefined || user === undefined) throw new GatewayError('INTERNAL', { params: { detail: 'checks passed without both cards' } });
  const machineNumber = facts.factory.machineNumber;
  const plan = outcome.plan;
  reporter.record({ action: 'initialize', machineNumber, before: stateOf(facts, plan) });
  const content = initializationContent(fiscal, user, facts.pending?.initializationDate ?? facts.today);
  const entry = {
    deviceId: target.deviceId, machineNumber, fiscalCardNumber: fiscal.basic.cardNumber, userCardNumber: user.basic.cardNumber,
    initializationDate: content.initializationDate,
  };
  reporter.progress(1);
  reporter.throwIfCancelled();

  if (plan === 'fresh' || plan === 'write') {
    let pin: Uint8Array;
    if (plan === 'fresh') {
      reporter.stage('authenticate');
      pin = await authenticate(target, deps, entry, reporter);
    } else {
      pin = fromHex(facts.pending!.pin!);
    }
    reporter.stage('write');
    await write(target, deps, content, pin);
    await deps.pending.put({ ...entry, pin: hex(pin), stage: 'written', at: new Date((deps.settings.now ?? Date.now)()).toISOString() });
    reporter.progress(1, 'GB link 30');
  }

  reporter.stage('verify');
  const comparisons = await readBack(target, machineNumber, content);
  const mismatches = comparisons.filter((c) => !c.matches);
  await deps.pending.delete(fiscal.basic.cardNumber);
  const after = {
    register: { machineNumber, initialized: true, fiscalCardNumber: content.fiscalCardNumber, taxpayerNumber: content.taxpayerNumber,
      taxpayerName: content.taxpayerName, initializationDate: content.initializationDate, issueDeadline: content.issueDeadline, taxItems: content.taxItems.length },
    fiscalCard: { cardNumber: fiscal.basic.cardNumber, registered: true },
    userCard: { cardNumber: user.basic.cardNumber },
    readBack: comparisons,
  };
  reporter.record({ after });
  if (mismatches.length > 0) {
    throw new GatewayError('INIT_READBACK_MISMATCH', { params: { fields: mismatches.map((m) => m.field).join(', ') }, data: { mismatches } });
  }
  reporter.progress(1, 'read-back verified');
  return {
    deviceId: target.deviceId, machineNumber, startedAt: plan, fiscalCardNumber: fiscal.basic.cardNumber, userCardNumber: user.basic.cardNumber,
    taxpayerName: content.taxpayerName, initializationDate: content.initializationDate, readBack: comparisons,
  };
}
