import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { CardSessionOptions } from '../../devices/CardSession.js';
import { CardSession } from '../../devices/CardSession.js';
import { pinTriesLeftOrNull } from '../../../protocols/gb18240-card/pinTries.js';
import { registeredOrNull } from '../../../protocols/gb18240-card/registration.js';
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
import { changeStatement, type ChangeStatement } from './changeStatement.js';
import { asCause } from '../common/describeCause.js';
import type { StageReporter } from '../common/ProgressPort.js';
import { isInDoubt } from '../common/linkFailure.js';
import { stepFailure, type InitializationStep } from './stepFailure.js';
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
  /**
   * An earlier GB link 30 with the kept PIN went unanswered and the register is not initialized: the card may
   * have rotated the PIN already, so sending it again may spend a try. Only when this says so.
   */
  readonly resendPin?: boolean;
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

export type { StageReporter } from '../common/ProgressPort.js';

/** Where a run writes what it must remember: its job's checkpoint, one PendingInitialization at a time. */
class RunJournal {
  private last: PendingInitialization | undefined;

  constructor(private readonly reporter: StageReporter) {}

  put(entry: PendingInitialization): void {
    this.last = entry;
    this.reporter.checkpoint({ ...entry });
  }

  /** Nothing left to resume: the PIN is forgotten. */
  close(at: string): void {
    if (this.last === undefined || this.last.stage === 'closed') return;
    this.put({ ...this.last, pin: null, stage: 'closed', at });
  }
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

async function look(target: InitializationTarget, deps: InitializationDeps, options: InitializationOptions, memory: PendingInitializations = deps.pending) {
  const facts = await gatherFacts(target, {
    pending: memory, utcOffsetMinutes: deps.settings.utcOffsetMinutes,
    ...(deps.settings.now === undefined ? {} : { now: deps.settings.now }),
    ...(deps.settings.card === undefined ? {} : { card: deps.settings.card }),
  });
  const outcome = runChecks(facts, {
    clockToleranceSeconds: deps.settings.clockToleranceSeconds, allowLastPinTry: options.allowLastPinTry ?? false, resendPin: options.resendPin ?? false,
  });
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
    // The lead check's own message and remedy, which read right in each language.
    const lead = outcome.checks.find((c) => c.id === error.data.check)!;
    return { ...base, ok: false, error: { code: error.code, message: lead.message, ...(lead.remedy === undefined ? {} : { remedy: lead.remedy }) } };
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
    fiscalCard: { where: facts.fiscal.where, cardNumber: fiscal?.basic.cardNumber ?? null, registered: fiscal === undefined ? null : registeredOrNull(fiscal.registration.state) },
    userCard: { where: facts.user.where, cardNumber: user?.basic.cardNumber ?? null },
  };
}

/** A card in the authentication is not the one the checks read (swapped since): stop before anything changes. */
function cardSwapped(card: 'fiscalCard' | 'userCard', checked: string, found: string): GatewayError {
  return new GatewayError('INIT_FACTS_CHANGED', {
    params: { fields: card }, data: { fields: [card], expected: checked, found, changed: changeStatement('nothing-changed') },
  });
}

/**
 * Mutual authentication (GB18240.md "Flows" step 6): GET_REGISTER_NB → REGISTER_SIGN → TERMINAL_REGISTER → PIN.
 * The challenge names the fiscal card and the user card is read again first: a card swapped after the
 * checks stops the run before the fiscal card is registered.
 */
async function authenticate(
  target: InitializationTarget, deps: InitializationDeps, entry: Omit<PendingInitialization, 'pin' | 'stage' | 'at'>, reporter: StageReporter,
  journal: RunJournal,
): Promise<{ readonly pin: Uint8Array; readonly kept: boolean }> {
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
  if (challenge.fiscalCardNumber !== entry.fiscalCardNumber) throw cardSwapped('fiscalCard', entry.fiscalCardNumber, challenge.fiscalCardNumber);
  reporter.progress(0.3, 'GET_REGISTER_NB');
  let mac2;
  try {
    const user = await userCard.readUserBasic();
    if (user.cardNumber !== entry.userCardNumber) throw cardSwapped('userCard', entry.userCardNumber, user.cardNumber);
    mac2 = await userCard.registerSign(challenge);
  } catch (error) {
    if (isGatewayError(error, 'INIT_FACTS_CHANGED')) throw error;
    throw stepFailure('REGISTER_SIGN', error, 'nothing-changed');
  }
  reporter.progress(0.6, 'REGISTER_SIGN');
  // Remembered before the card is asked: if its answer is lost, the next dry run can say what happened.
  // A gateway that cannot remember stops here, before the card is registered.
  try {
    journal.put({ ...entry, pin: null, stage: 'registering', at: now() });
  } catch (error) {
    throw stepFailure('TERMINAL_REGISTER', error, 'nothing-changed');
  }
  let pin: Uint8Array;
  try {
    pin = await fiscalCard.terminalRegister(mac2);
  } catch (error) {
    if (!isInDoubt(error)) {
      journal.close(now());
      throw stepFailure('TERMINAL_REGISTER', error, 'nothing-changed');
    }
    const settled = await readFiscalFacts(target.cards.fiscal, cardOptions).catch(() => undefined);
    const card = settled?.read === true ? settled.data : undefined;
    if (card?.registration.state === 'not-registered') {
      journal.close(now());
      throw stepFailure('TERMINAL_REGISTER', error, 'nothing-changed');
    }
    throw stepFailure('TERMINAL_REGISTER', error, card === undefined ? 'registration-in-doubt' : 'registered-pin-lost');
  }
  let kept = true;
  try {
    journal.put({ ...entry, pin: hex(pin), stage: 'registered', at: now() });
  } catch (error) {
    // The card has answered its PIN once and for all: go on to the register, its one safe home.
    kept = false;
    reporter.progress(0.9, `the PIN could not be kept on disk (${asCause(error).code}); writing the register at once`);
  }
  reporter.progress(1, 'TERMINAL_REGISTER');
  return { pin, kept };
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

/** The fiscal card's tries left after the register's PIN check failed, asked without spending one. */
async function triesLeft(target: InitializationTarget, deps: InitializationDeps): Promise<number | null> {
  try {
    const card = new CardSession(target.cards.fiscal, deps.settings.card ?? {});
    await target.cards.fiscal.reset();
    return pinTriesLeftOrNull(await card.pinTriesLeft());
  } catch {
    return null;
  }
}

/**
 * GB link 30 with the initialization data and the PIN (the register verifies it on the card in its
 * slot); a lost answer is settled by reading the register back. A refused PIN is never tried again.
 */
async function write(
  target: InitializationTarget, deps: InitializationDeps, content: InitializationContent, pin: Uint8Array, pinKept: boolean,
  journal: RunJournal, entry: Omit<PendingInitialization, 'pin' | 'stage' | 'at'>,
): Promise<void> {
  // Without the kept PIN a register left unwritten cannot be resumed: say so rather than promise it.
  const unwritten = (state: 'card-registered' | 'write-not-taken') => (pinKept ? state : 'registered-pin-lost');
  const now = () => new Date((deps.settings.now ?? Date.now)()).toISOString();
  // Written before the PIN leaves: after this, until the register is seen initialized, the PIN may be stale
  // (the card rotates it when the register verifies it), so nothing will send it again without asking.
  if (pinKept) {
    try {
      journal.put({ ...entry, pin: hex(pin), stage: 'pin-sent', at: now() });
    } catch (error) {
      throw stepFailure('GB link 30', error, 'card-registered');
    }
  }
  try {
    await target.register.initialize({ ...content, pin: Uint8Array.from(pin) });
    return;
  } catch (error) {
    if (isGatewayError(error, 'LINK_PIN_CHECK_FAILED')) {
      journal.close(now());
      throw stepFailure('GB link 30', error, 'pin-refused', { triesLeft: await triesLeft(target, deps) });
    }
    if (!isInDoubt(error) && !isGatewayError(error, 'LINK_ALREADY_INITIALIZED')) throw stepFailure('GB link 30', error, unwritten('card-registered'));
    const settled = await settleWrite(target, content.fiscalCardNumber);
    if (settled === true) return;
    throw stepFailure('GB link 30', error, settled === false ? unwritten('write-not-taken') : 'write-in-doubt');
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

/** True, false, or unknown, as the facts (or the dry run's fingerprint) read it. */
const known = (value: boolean | string | null | undefined): boolean | 'unknown' =>
  value === true || value === 'true' ? true : value === false || value === 'false' ? false : 'unknown';

/**
 * Any failure of a run, saying what was changed: an error that says it already stays as it is; a
 * refusal (a check, changed facts, a cancel) keeps its code and gains the statement; a lost link or an
 * unexpected error becomes INIT_STEP_FAILED at the step it happened in.
 */
function withStatement(error: unknown, step: InitializationStep, changed: ChangeStatement): GatewayError {
  if (isGatewayError(error) && error.data.changed !== undefined) return error;
  if (isGatewayError(error) && !isInDoubt(error)) {
    return new GatewayError(error.code, { params: error.params, data: { ...error.data, changed }, cause: error });
  }
  return stepFailure(step, error, changed);
}

/**
 * The real run, redeeming the dry run's token: re-check, mutual authentication through whatever
 * channels hold the cards, GB link 30, read-back of 37/38/39/41 compared field by field, and the
 * service record's before and after. A run interrupted after the card's registration resumes where
 * it stopped (the dry run says where). Every failure names its step and cause, and says in
 * `data.changed` what was and was not changed; the kept PIN is deleted once the register holds it
 * and whenever it can no longer serve.
 */
export async function runInitialization(
  target: InitializationTarget, deps: InitializationDeps, request: InitializationOptions & { readonly token: string }, reporter: StageReporter,
): Promise<InitializationResult> {
  reporter.stage('recheck');
  const bound = deps.tokens.redeem(request.token, target.deviceId);
  const changed = changeStatement('unchanged', {
    fiscalCardRegistered: known(bound.fiscalCardRegistered), registerInitialized: known(bound.registerInitialized),
  });
  return carryOut(target, deps, request, reporter, { bound, memory: deps.pending, changed });
}

/**
 * The run of an initialization job a restart (or a lost device) interrupted, from its checkpoint, under the
 * same job: the facts are read again (no PIN try), the checkpoint stands for the gateway's memory, and the
 * same checks decide where it goes on (GB link 30 with a PIN that never left the gateway, or the read-back
 * of a register seen initialized with this card). A PIN that was sent once to a register that is still not
 * initialized may be stale: the checks refuse it (INIT_PIN_IN_DOUBT) unless the job was told `resendPin`.
 */
export async function resumeInitialization(
  target: InitializationTarget, deps: InitializationDeps, options: InitializationOptions, reporter: StageReporter, checkpoint: PendingInitialization,
): Promise<InitializationResult> {
  reporter.stage('recheck');
  const memory: PendingInitializations = {
    get: async (fiscalCardNumber) => (fiscalCardNumber === checkpoint.fiscalCardNumber && checkpoint.stage !== 'closed' ? checkpoint : undefined),
  };
  const changed = changeStatement(checkpoint.stage === 'registered' || checkpoint.stage === 'pin-sent' ? 'card-registered' : 'written-unverified');
  return carryOut(target, deps, options, reporter, { memory, changed, resumed: checkpoint });
}

interface CarryOut {
  /** The dry run's fingerprint the run must still match (absent when a job resumes from its checkpoint). */
  readonly bound?: ReturnType<ConfirmationTokens['redeem']>;
  readonly memory: PendingInitializations;
  readonly changed: ChangeStatement;
  readonly resumed?: PendingInitialization;
}

async function carryOut(
  target: InitializationTarget, deps: InitializationDeps, request: InitializationOptions, reporter: StageReporter, how: CarryOut,
): Promise<InitializationResult> {
  const { bound } = how;
  let step: InitializationStep = 'recheck';
  let changed = how.changed;
  const journal = new RunJournal(reporter);
  const now = () => new Date((deps.settings.now ?? Date.now)()).toISOString();
  try {
    const { facts, outcome } = await look(target, deps, request, how.memory);
    if (how.resumed !== undefined && facts.pending === undefined) {
      throw new GatewayError('INIT_FACTS_CHANGED', { params: { fields: 'fiscalCard' }, data: { fields: ['fiscalCard'], expected: how.resumed.fiscalCardNumber } });
    }
    const fiscalRead = facts.fiscal.read ? facts.fiscal.data : undefined;
    // A resumed job already changed what its checkpoint says (the card registered at least): that stays the truth.
    if (how.resumed === undefined) changed = changeStatement('unchanged', { fiscalCardRegistered: known(fiscalRead === undefined ? undefined : registeredOrNull(fiscalRead.registration.state)), registerInitialized: facts.status.initialized });
    const refused = checksError(outcome);
    if (refused !== undefined) throw refused;
    const differs = bound === undefined ? [] : changedFields(bound, factsFingerprint(facts, outcome.plan));
    if (differs.length > 0) throw new GatewayError('INIT_FACTS_CHANGED', { params: { fields: differs.join(', ') }, data: { fields: differs } });
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
    if (plan === 'write') changed = changeStatement('card-registered');
    if (plan === 'verify') changed = changeStatement('written-unverified');
    // The run takes over what is pending of this card: from now on its own checkpoint is the gateway's memory.
    if (facts.pending !== undefined) journal.put({ ...facts.pending, at: now() });
    reporter.progress(1);
    reporter.throwIfCancelled();

    if (plan === 'fresh' || plan === 'write') {
      let registration: { readonly pin: Uint8Array; readonly kept: boolean };
      if (plan === 'fresh') {
        reporter.stage('authenticate');
        step = 'GET_REGISTER_NB';
        registration = await authenticate(target, deps, entry, reporter, journal);
        changed = changeStatement(registration.kept ? 'card-registered' : 'registered-pin-lost');
      } else {
        registration = { pin: fromHex(facts.pending!.pin!), kept: true };
      }
      reporter.stage('write');
      step = 'GB link 30';
      await write(target, deps, content, registration.pin, registration.kept, journal, entry);
      changed = changeStatement('written-unverified');
      // The register holds the PIN now: the gateway's copy goes; what is kept serves the read-back only.
      try {
        journal.put({ ...entry, pin: null, stage: 'written', at: now() });
      } catch (error) {
        reporter.progress(1, `the written state could not be checkpointed (${asCause(error).code})`);
      }
      reporter.progress(1, 'GB link 30');
    }

    reporter.stage('verify');
    step = 'read-back';
    const comparisons = await readBack(target, machineNumber, content);
    const mismatches = comparisons.filter((c) => !c.matches);
    journal.close(now());
    const after = {
      register: { machineNumber, initialized: true, fiscalCardNumber: content.fiscalCardNumber, taxpayerNumber: content.taxpayerNumber,
        taxpayerName: content.taxpayerName, initializationDate: content.initializationDate, issueDeadline: content.issueDeadline, taxItems: content.taxItems.length },
      fiscalCard: { cardNumber: fiscal.basic.cardNumber, registered: true },
      userCard: { cardNumber: user.basic.cardNumber },
      readBack: comparisons,
    };
    reporter.record({ after });
    if (mismatches.length > 0) {
      throw new GatewayError('INIT_READBACK_MISMATCH', {
        params: { fields: mismatches.map((m) => m.field).join(', ') }, data: { mismatches, changed: changeStatement('written-mismatch') },
      });
    }
    reporter.progress(1, 'read-back verified');
    return {
      deviceId: target.deviceId, machineNumber, startedAt: plan, fiscalCardNumber: fiscal.basic.cardNumber, userCardNumber: user.basic.cardNumber,
      taxpayerName: content.taxpayerName, initializationDate: content.initializationDate, readBack: comparisons,
    };
  } catch (error) {
    throw withStatement(error, step, changed);
  }
}
