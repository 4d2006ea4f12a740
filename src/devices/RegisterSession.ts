import type { Logger } from 'pino';
import type { ByteTransport } from '../../contracts/ByteTransport.js';
import { GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import * as link from '../../protocols/gb-link/index.js';
import type {
  Capabilities, CardSlot, CommandEffect, CompressedBlock, CommandSpec, ControlLimits, DailyRecord, DateRange, DeclarationRecord, FactoryData,
  FirmwareBegin, FirmwareBlock, FirmwareResume, FirmwareTransfer, FirmwareTrial, IndexRange, MediaInstallReport, InitializationData, InitializationRecord, InvoiceRecord,
  InvoiceRoll, LinkDateTime, NumberRange, PayloadCodec, RecordCounts, RecordListCodec, RegisterStatus, RollRecord, RollSummary, SelfCheckKind,
  SelfCheckResult, TaxItem, TaxpayerUpdate, TimeRange, UserInfo,
} from '../../protocols/gb-link/index.js';
import { silentLogger } from '../log.js';
import { exchange, type AnswerProgress, type ExchangeOutcome, type ExchangeTiming } from './session/exchange.js';
import { FrameChannel } from './session/FrameChannel.js';
import { RegisterCardChannel } from './session/RegisterCardChannel.js';
import {
  clockRecovery, controlWriteBackRecovery, distributeRecovery, initializeRecovery, inputInvoiceNumbersRecovery, updateTaxpayerRecovery,
  type Recovery, type StateReader, type Verdict,
} from './session/recovery.js';
import { pagedRead, dateWindowAt, daysBetween, type PageOptions, type PagePlan } from './session/paging.js';
import { RegisterExtensions, recordsThatFit } from './session/RegisterExtensions.js';

export type { RegisterExtensions } from './session/RegisterExtensions.js';

export interface RegisterSessionOptions {
  /** Name used in logs and in card channel names (`<deviceId>/fiscal`). */
  deviceId?: string;
  /** Wait for each reply frame; every WT starts it again. Default 2000 ms. */
  replyTimeoutMs?: number;
  /** Total time WT may hold one reply. Default 120 000 ms. */
  busyLimitMs?: number;
  /** Re-sends of a read (or idempotent) command after a timeout or corrupt reply. Default 3. */
  retries?: number;
  /** Re-sends of a non-final packet, and NP re-requests of one answer packet. Default 3. */
  packetRetries?: number;
  /** Silence after which a partial frame is dropped (SPEC.md §2.4). Default 200 ms. */
  interByteGapMs?: number;
  /** Silence awaited before reading state back after a lost reply. Default 500 ms. */
  settleMs?: number;
  /** Largest answer accepted. Default 16 MiB. */
  maxMessage?: number;
  /** Window for bulk transfers when 70 lists 74 (SPEC.md §10); 0 keeps stop-and-wait. Default 32. */
  transferWindow?: number;
  logger?: Logger;
}

export interface CallOptions {
  /** Overrides the command's own effect (the card channel uses it per APDU). */
  effect?: CommandEffect;
  replyTimeoutMs?: number;
  onAnswer?: AnswerProgress;
}

interface Resolved extends ExchangeTiming {
  retries: number;
  settleMs: number;
}

const hex = link.hexByte;

/** The answer's bytes as the register sent them (a backup keeps both). */
const rawAnswer: PayloadCodec<Uint8Array> = { encode: (bytes) => bytes, decode: (bytes) => Uint8Array.from(bytes) };

/** The count u32 a record list (SPEC.md §4.2) starts with; 0 when there is none. */
function recordCountOf(answer: Uint8Array): number {
  return answer.length < 4 ? 0 : new DataView(answer.buffer, answer.byteOffset, 4).getUint32(0);
}

/**
 * Typed GB-link commands over one ByteTransport (the third seam of DESIGN.md). See
 * protocols/gb-link/SPEC.md §7 for the rules and §9 for an example.
 *
 * - One exchange at a time: calls are queued in order.
 * - Reads and idempotent commands are re-sent after a lost or mangled reply, a bounded number of times.
 * - State-changing commands are never re-sent blindly: after a lost reply the session reads the
 *   register's state back and returns the result, re-sends once when the command surely did
 *   not take effect, or throws LINK_IN_DOUBT.
 * - Big reads are async-iterable pages with progress, each page retried on its own.
 * - `cardChannel(slot)` gives the card layer a CardChannel over 59/5B.
 */
export class RegisterSession {
  private readonly channel: FrameChannel;
  private readonly timing: Resolved;
  private readonly log: Logger;
  private tail: Promise<unknown> = Promise.resolve();
  private closing = false;
  /** Set when a reply went missing: the next exchange first waits for the line to go quiet. */
  private lineUnsettled = false;
  /** The register's 70 answer (or its ER 20), asked once per connection. */
  private extensionsAsked: Promise<RegisterExtensions> | undefined;
  /** The same once it has answered. */
  private extensionsKnown: RegisterExtensions | undefined;
  /** The minimum check (SPEC.md §5.0), made once per connection. */
  private minimumChecked: Promise<void> | undefined;
  readonly deviceId: string;

  constructor(readonly transport: ByteTransport, options: RegisterSessionOptions = {}) {
    this.deviceId = options.deviceId ?? transport.description.path;
    this.timing = {
      replyTimeoutMs: options.replyTimeoutMs ?? 2000,
      busyLimitMs: options.busyLimitMs ?? 120_000,
      packetRetries: options.packetRetries ?? 3,
      maxMessage: options.maxMessage ?? 16 * 1024 * 1024,
      retries: options.retries ?? 3,
      settleMs: options.settleMs ?? 500,
    };
    this.log = (options.logger ?? silentLogger).child({ device: this.deviceId, component: 'gb-link' });
    this.channel = new FrameChannel(transport, options.interByteGapMs ?? 200);
    if (options.transferWindow !== undefined) this.channel.windowLimit = options.transferWindow;
  }

  /** Opens the transport when it is not open yet and returns a session over it. */
  static async open(transport: ByteTransport, options: RegisterSessionOptions = {}): Promise<RegisterSession> {
    if (!transport.isOpen) await transport.open();
    return new RegisterSession(transport, options);
  }

  /** Bytes moved so far, for benchmarks and diagnostics. */
  get traffic(): { bytesIn: number; bytesOut: number; resentBytes: number } {
    return { bytesIn: this.channel.bytesIn, bytesOut: this.channel.bytesOut, resentBytes: this.channel.resentBytes };
  }

  /** Queued, typed execution of any command of protocols/gb-link. */
  execute<Req, Res>(spec: CommandSpec<Req, Res>, request: Req, options: CallOptions = {}): Promise<Res> {
    return this.locked(() => this.run(spec, request, options));
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    const start = () => (this.closing ? Promise.reject(new GatewayError('LINK_CLOSED')) : work());
    const result = this.tail.then(start, start);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private readonly readState: StateReader = (spec, request) => this.run(spec, request, { effect: 'read' });

  private async run<Req, Res>(spec: CommandSpec<Req, Res>, request: Req, options: CallOptions, recovery?: Recovery<Req, Res>): Promise<Res> {
    const params = spec.request.encode(request);
    if (link.offeredOnlyWhenListed(spec.code) && !(await this.loadExtensions()).offers(spec.code)) {
      throw new GatewayError('LINK_EXTENSION_NOT_OFFERED', { params: { command: hex(spec.code) }, data: { command: spec.code } });
    }
    const limit = this.extensionsKnown?.maxMessage;
    if (limit !== undefined && params.length > limit) {
      // 70's max message holds both ways (SPEC.md §5.9): the register would answer ER 22, so it is not sent.
      throw new GatewayError('LINK_BAD_LENGTH', { params: { command: hex(spec.code) }, data: { command: spec.code, bytes: params.length, maxMessage: limit } });
    }
    const effect = options.effect ?? spec.effect;
    const timing = options.replyTimeoutMs === undefined ? this.timing : { ...this.timing, replyTimeoutMs: options.replyTimeoutMs };
    const command = hex(spec.code);
    const before = effect === 'write' && recovery?.before !== undefined ? await recovery.before(this.readState, request) : undefined;
    let resent = false;
    for (let attempt = 0; ; attempt++) {
      if (this.lineUnsettled) {
        // A reply lost to a timeout may still be on its way; without a sequence number it would be
        // taken for the answer to the next command. Wait for a reply timeout's worth of silence
        // and forget whatever came meanwhile.
        await this.channel.settle(Math.max(this.timing.settleMs, timing.replyTimeoutMs), this.timing.busyLimitMs);
        this.lineUnsettled = false;
      }
      this.channel.clear();
      const sentAt = Date.now();
      const outcome: ExchangeOutcome = await exchange(this.channel, spec.code, params, timing, options.onAnswer);
      if (outcome.kind === 'ok') {
        this.log.debug({ command, name: spec.name, bytes: outcome.data.length, attempt }, 'gb-link command done');
        return spec.response.decode(outcome.data);
      }
      const mayRetry = attempt < this.timing.retries;
      if (outcome.kind === 'error') {
        this.log.debug({ command, name: spec.name, erCode: hex(outcome.code), attempt }, 'gb-link command refused');
        if (link.isTransmissionError(outcome.code) && mayRetry) continue;
        throw link.registerError(outcome.code, { command: spec.code });
      }
      this.log.debug({ command, name: spec.name, detail: outcome.detail, attempt, finalSent: outcome.finalSent }, 'gb-link reply lost');
      this.lineUnsettled = true;
      if (outcome.interrupted !== undefined) {
        if (effect !== 'write') throw outcome.interrupted;
        throw new GatewayError('LINK_IN_DOUBT', {
          params: { command }, cause: outcome.interrupted,
          data: { command: spec.code, name: spec.name, found: { interrupted: outcome.interrupted.code } },
        });
      }
      const executed = outcome.finalSent;
      if (!executed || effect !== 'write') {
        if (mayRetry) continue;
        throw outcome.corrupt
          ? new GatewayError('LINK_FRAME_INVALID', { params: { detail: `${spec.name}: ${outcome.detail}` }, data: { command: spec.code } })
          : new GatewayError('LINK_TIMEOUT', { params: { command, ms: timing.replyTimeoutMs }, data: { command: spec.code } });
      }
      const verdict = await this.recover(spec, request, recovery, { before, sentAt, answerStarted: outcome.answerStarted });
      if (verdict.outcome === 'applied') return verdict.result;
      if (verdict.outcome === 'not-applied' && !resent) {
        resent = true;
        this.log.info({ command, name: spec.name }, 'gb-link command did not take effect; sending it again');
        continue;
      }
      throw new GatewayError('LINK_IN_DOUBT', {
        params: { command },
        data: { command: spec.code, name: spec.name, found: verdict.outcome === 'unknown' ? verdict.found : { applied: false, resent } },
      });
    }
  }

  private async recover<Req, Res>(
    spec: CommandSpec<Req, Res>, request: Req, recovery: Recovery<Req, Res> | undefined,
    context: { before: unknown; sentAt: number; answerStarted: boolean },
  ): Promise<Verdict<Res>> {
    const command = hex(spec.code);
    if (context.answerStarted) return { outcome: 'unknown', found: { executed: true, answer: 'incomplete' } };
    if (recovery === undefined) return { outcome: 'unknown', found: { recovery: 'no read-back exists for this command' } };
    await this.channel.settle(this.timing.settleMs, this.timing.busyLimitMs);
    this.lineUnsettled = false;
    try {
      const verdict = await recovery.check(this.readState, request, { before: context.before, sentAt: context.sentAt, now: Date.now() });
      this.log.info({ command, name: spec.name, outcome: verdict.outcome }, 'gb-link in-doubt recovery');
      return verdict;
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      throw new GatewayError('LINK_IN_DOUBT', { params: { command }, data: { command: spec.code, name: spec.name, readBack: error.code }, cause: error });
    }
  }

  /** A state-changing command with its in-doubt recovery, queued. */
  private write<Req, Res>(spec: CommandSpec<Req, Res>, request: Req, recovery: Recovery<Req, Res, never> | Recovery<Req, Res>): Promise<Res> {
    return this.locked(() => this.run(spec, request, {}, recovery as Recovery<Req, Res>));
  }

  /* ---------- identity and state ---------- */

  /** 00: proves a register speaks GB link at this baud rate. */
  connect(options: CallOptions = {}): Promise<void> {
    return this.execute(link.connect, undefined, options);
  }

  /** 37: machine number, model, hardware revision, firmware and bootloader versions. */
  factoryData(): Promise<FactoryData> {
    return this.execute(link.factoryData, undefined);
  }

  /** 38 (LINK_NOT_INITIALIZED before initialization). */
  userInfo(): Promise<UserInfo> {
    return this.execute(link.userInfo, undefined);
  }

  taxItems(): Promise<TaxItem[]> {
    return this.execute(link.taxItems, undefined);
  }

  dateTime(): Promise<LinkDateTime> {
    return this.execute(link.dateTime, undefined);
  }

  status(): Promise<RegisterStatus> {
    return this.execute(link.status, undefined);
  }

  recordCounts(): Promise<RecordCounts> {
    return this.execute(link.recordCounts, undefined);
  }

  /**
   * 70, asked once per connection: LINK_UNKNOWN_COMMAND (ER 20) from a register on public firmware,
   * as it answered the first time.
   */
  capabilities(): Promise<Capabilities> {
    return this.locked(async () => {
      const offered = await this.loadExtensions();
      if (offered.capabilities === undefined) throw link.registerError(link.ER.UNKNOWN_COMMAND, { command: link.CMD.CAPABILITIES });
      return offered.capabilities;
    });
  }

  /** What the register offers beyond the public commands (70 once per connection; ER 20 = public firmware, none). */
  extensions(): Promise<RegisterExtensions> {
    return this.locked(() => this.loadExtensions());
  }

  /** Inside the queue: the cached 70 answer, asked now when it has not been yet. A failure other than ER 20 is not cached. */
  private loadExtensions(): Promise<RegisterExtensions> {
    this.extensionsAsked ??= this.run(link.capabilities, undefined, {}).then(
      (capabilities) => (this.extensionsKnown = new RegisterExtensions(capabilities)),
      (error: unknown) => {
        if (isGatewayError(error, 'LINK_UNKNOWN_COMMAND')) {
          this.log.info('no capabilities (70): public firmware, public commands only');
          return (this.extensionsKnown = new RegisterExtensions(undefined));
        }
        this.extensionsAsked = undefined;
        throw error;
      },
    );
    return this.extensionsAsked;
  }

  /**
   * Refuses a register below the minimum of SPEC.md §5.0 with LINK_REGISTER_BELOW_MINIMUM naming the
   * command: 37, 3A and 41 must answer in their layouts, 38 too or ER 10 (not initialized); asks 70 on
   * the way. Made once per connection (a failure of the link itself is not remembered).
   */
  requireMinimum(): Promise<void> {
    this.minimumChecked ??= this.locked(async () => {
      const below = (code: number) => new GatewayError('LINK_REGISTER_BELOW_MINIMUM', {
        params: { command: hex(code), minimum: link.MINIMUM_COMMANDS.map(hex).join(', ') }, data: { command: code },
      });
      const probe = async (spec: CommandSpec<void, unknown>, tolerated?: 'LINK_NOT_INITIALIZED') => {
        try {
          await this.run(spec, undefined, {});
        } catch (error) {
          if (tolerated !== undefined && isGatewayError(error, tolerated)) return;
          if (isGatewayError(error, 'LINK_UNKNOWN_COMMAND') || isGatewayError(error, 'LINK_PAYLOAD_INVALID')) throw below(spec.code);
          throw error;
        }
      };
      await probe(link.connect);
      await probe(link.factoryData);
      await probe(link.status);
      await probe(link.userInfo, 'LINK_NOT_INITIALIZED');
      await probe(link.dateTime);
      await this.loadExtensions();
    });
    this.minimumChecked.catch((error: unknown) => {
      if (!isGatewayError(error, 'LINK_REGISTER_BELOW_MINIMUM')) this.minimumChecked = undefined;
    });
    return this.minimumChecked;
  }

  selfCheck(kind: SelfCheckKind): Promise<SelfCheckResult> {
    return this.execute(link.selfChecks[kind], undefined);
  }

  /* ---------- state-changing commands ---------- */

  /** 30: writes the initialization data and enters fiscal mode. */
  initialize(data: InitializationData): Promise<void> {
    return this.write(link.initialize, data, initializeRecovery);
  }

  /** 3B: set the clock (uninitialized register, or a correction it allows). */
  setTime(value: LinkDateTime): Promise<void> {
    return this.write(link.setTime, value, clockRecovery);
  }

  /** 63: change the date-time after initialization. */
  changeTime(value: LinkDateTime): Promise<void> {
    return this.write(link.changeTime, value, clockRecovery);
  }

  /** 62: registration change of the taxpayer fields the register keeps. */
  updateTaxpayer(update: TaxpayerUpdate): Promise<void> {
    return this.write(link.updateTaxpayer, update, updateTaxpayerRecovery);
  }

  /** 31: one roll from the user card in the register's slot. */
  distributeInvoiceNumbers(): Promise<InvoiceRoll> {
    return this.write(link.distributeInvoiceNumbers, undefined, distributeRecovery);
  }

  /** 50: mount a distributed roll on the fiscal card. */
  inputInvoiceNumbers(roll: InvoiceRoll): Promise<void> {
    return this.write(link.inputInvoiceNumbers, roll, inputInvoiceNumbersRecovery);
  }

  /**
   * 40: the control update after a declaration (监控数据回写), run by the register with the cards in its
   * slots; answers the limits now in force. ER 20 from a register without it; recovery: 41 + fiscal EF01.
   */
  controlWriteBack(): Promise<ControlLimits> {
    return this.write(link.controlWriteBack, undefined, controlWriteBackRecovery);
  }

  /**
   * 71: switch both sides to `baud`. `apply` changes the transport's rate (the serial driver
   * knows how). Returns the rate in effect afterwards, proven by a 00 connect at that rate.
   */
  switchBaud(baud: number, current: number, apply: (baud: number) => Promise<void>): Promise<number> {
    return this.locked(async () => {
      try {
        await this.run(link.switchBaud, { baud }, {});
      } catch (error) {
        if (!isGatewayError(error, 'LINK_IN_DOUBT')) throw error;
      }
      // After an OK the register runs at the new rate; after a lost reply it may or may not, and
      // falls back to the old one by itself within 2 s (SPEC.md §5.9): try the new rate first.
      for (const rate of [baud, current]) {
        await apply(rate);
        try {
          await this.run(link.connect, undefined, { effect: 'read' });
          this.log.info({ baud: rate, requested: baud }, 'gb-link baud rate');
          return rate;
        } catch (error) {
          if (!isGatewayError(error)) throw error;
        }
      }
      throw new GatewayError('LINK_IN_DOUBT', { params: { command: hex(link.CMD.SWITCH_BAUD) }, data: { baud, current } });
    });
  }

  /* ---------- firmware (64, SPEC.md §5.8) ---------- */

  firmwareBegin(begin: FirmwareBegin): Promise<FirmwareResume> {
    return this.execute(link.firmwareBegin, begin);
  }

  firmwareWrite(block: FirmwareBlock): Promise<{ received: number }> {
    return this.execute(link.firmwareWrite, block);
  }

  /** 75 (SPEC.md §5.9): a block sent raw-deflated, inflated by the register; only when 70 lists 75 (else LINK_EXTENSION_NOT_OFFERED). */
  firmwareWriteCompressed(block: CompressedBlock): Promise<{ received: number }> {
    return this.execute(link.firmwareWriteCompressed, block);
  }

  firmwareQuery(): Promise<FirmwareTransfer> {
    return this.execute(link.firmwareQuery, undefined);
  }

  firmwareVerify(): Promise<{ sha256: Uint8Array }> {
    return this.execute(link.firmwareVerify, undefined);
  }

  /** LINK_IN_DOUBT when the OK is lost: reconnect and compare the running version (37). The new image may offer other extensions: 70 is asked again. */
  async firmwareActivate(): Promise<void> {
    try {
      await this.execute(link.firmwareActivate, undefined);
    } finally {
      this.extensionsAsked = undefined;
      this.extensionsKnown = undefined;
      this.minimumChecked = undefined;
    }
  }

  firmwareAbort(): Promise<void> {
    return this.execute(link.firmwareAbort, undefined);
  }

  /** 64/07 (SPEC.md §5.8.1): restart into the verified image on trial; reverted by the register unless confirmed within the deadline. */
  async firmwareActivateTrial(deadlineSeconds: number): Promise<void> {
    try {
      await this.execute(link.firmwareActivateTrial, { deadlineSeconds });
    } finally {
      this.extensionsAsked = undefined;
      this.extensionsKnown = undefined;
      this.minimumChecked = undefined;
    }
  }

  /** 64/08: the image on trial becomes permanent. */
  firmwareConfirm(): Promise<void> {
    return this.execute(link.firmwareConfirm, undefined);
  }

  /** 64/09: the trial's state, the running image's version and digest, and why a trial was reverted. */
  firmwareTrial(): Promise<FirmwareTrial> {
    return this.execute(link.firmwareTrial, undefined);
  }

  /** 64/0A: the register's last install from a USB stick or upgrade cards (SPEC.md §5.8.2); ER 20 from a register without it. */
  firmwareMediaReport(): Promise<MediaInstallReport> {
    return this.execute(link.firmwareMediaReport, undefined);
  }

  /* ---------- big reads: async-iterable pages ---------- */

  /** 3F by position; pages of `pageSize` (default 256) invoices, fewer when the register's max message (70) holds fewer. */
  invoicesByIndex(range: { from: number; count: number }, options: PageOptions = {}): AsyncGenerator<InvoiceRecord[]> {
    return this.indexPages(link.invoicesByIndex, range, options, link.invoicesByIndex.response);
  }

  /** 3E by position. */
  declarations(range: { from: number; count: number }, options: PageOptions = {}): AsyncGenerator<DeclarationRecord[]> {
    return this.indexPages(link.declarations, range, options, link.declarations.response);
  }

  /** 32 by position. */
  distributedRolls(range: { from: number; count: number }, options: PageOptions = {}): AsyncGenerator<RollRecord[]> {
    return this.indexPages(link.distributedRolls, range, options, link.distributedRolls.response);
  }

  /** 3C by position (only when 70 lists it). */
  rollSummaries(range: { from: number; count: number }, options: PageOptions = {}): AsyncGenerator<RollSummary[]> {
    return this.indexPages(link.rollSummaries, range, options, link.rollSummaries.response);
  }

  /** 73 by position (project): the initialization and every registration change, as the register recorded them. */
  initializationHistory(range: { from: number; count: number }, options: PageOptions = {}): AsyncGenerator<InitializationRecord[]> {
    return this.indexPages(link.initializationHistory, range, options, link.initializationHistory.response);
  }

  /**
   * A by-position read (3F, 3E, 32, 3C, 73) answered as the register sent it, one record list (§4.2)
   * per page, for a backup that keeps the bytes; paged as the typed reads are. Without `count`, reads
   * to the end of memory: until the register answers fewer records than asked.
   */
  rawIndexPages<T>(spec: CommandSpec<IndexRange, T[], RecordListCodec<T>>, range: { from: number; count?: number }, options: PageOptions = {}): AsyncGenerator<Uint8Array> {
    if (range.count !== undefined) return this.indexPages(spec, { from: range.from, count: range.count }, options, rawAnswer);
    const units = 0x1_0000_0000 - range.from;
    return this.pages(spec, rawAnswer, { ...options, pageSize: Math.min(options.pageSize ?? 256, 0xffff) }, {
      units, total: undefined, untilShort: true,
      pageAt: (offset, size) => ({ from: range.from + offset, count: Math.min(size, units - offset) }),
    });
  }

  /** 44 by date range answered as sent, in windows of `pageSize` days (default 31), for a backup. */
  rawDailyPages(range: DateRange, options: PageOptions = {}): AsyncGenerator<Uint8Array> {
    return this.dailyPages(range, options, rawAnswer);
  }

  /** 42 by number range of one invoice code, in pages of `pageSize` numbers. */
  invoicesByNumber(range: NumberRange, options: PageOptions = {}): AsyncGenerator<InvoiceRecord[]> {
    const total = range.end - range.start + 1;
    return this.pages(link.invoicesByNumber, link.invoicesByNumber.response, options, {
      units: total, total,
      pageAt: (offset, size) => ({ invoiceCode: range.invoiceCode, start: range.start + offset, end: Math.min(range.end, range.start + offset + size - 1) }),
    });
  }

  /** 43 by time range: one request (time ranges do not split evenly); progress by records received. */
  invoicesByTime(range: TimeRange, options: PageOptions = {}): AsyncGenerator<InvoiceRecord[]> {
    return this.pages(link.invoicesByTime, link.invoicesByTime.response, { ...options, pageSize: 1 }, { units: 1, total: undefined, pageAt: () => range });
  }

  /** 44 by date range, in windows of `pageSize` days (default 31). */
  dailyRecords(range: DateRange, options: PageOptions = {}): AsyncGenerator<DailyRecord[]> {
    return this.dailyPages(range, options, link.dailyRecords.response);
  }

  private dailyPages<R>(range: DateRange, options: PageOptions, response: PayloadCodec<R>): AsyncGenerator<R> {
    const days = daysBetween(range);
    return this.pages(link.dailyRecords, response, { ...options, pageSize: options.pageSize ?? 31 }, {
      units: days, total: days, pageAt: (offset, size) => dateWindowAt(range, offset, size),
    });
  }

  private indexPages<T, R>(spec: CommandSpec<IndexRange, T[], RecordListCodec<T>>, range: { from: number; count: number }, options: PageOptions, response: PayloadCodec<R>): AsyncGenerator<R> {
    return this.pages(spec, response, { ...options, pageSize: Math.min(options.pageSize ?? 256, 0xffff) }, {
      units: range.count, total: range.count,
      pageAt: (offset, size) => ({ from: range.from + offset, count: Math.min(size, range.count - offset) }),
    });
  }

  /**
   * A paged read: pages no bigger than `pageSize` units nor than the register's max message (70)
   * holds; after ER 22 (too long, SPEC.md §6) the page is halved and the read goes on, never repeating
   * the refused request.
   */
  private async *pages<P, T, R>(
    spec: CommandSpec<P, T[], RecordListCodec<T>>, response: PayloadCodec<R>, options: PageOptions,
    plan: Omit<PagePlan<P>, 'initialSize'> & { untilShort?: boolean },
  ): AsyncGenerator<R> {
    const recordSize = spec.response.recordSize;
    const offered = await this.extensions();
    const limit = Math.min(this.timing.maxMessage, offered.maxMessage ?? this.timing.maxMessage);
    const initialSize = Math.min(options.pageSize ?? 256, recordsThatFit(limit, recordSize));
    const read: CommandSpec<P, R> = { ...spec, response };
    yield* pagedRead({ ...plan, initialSize }, (page, onAnswer) => this.execute(read, page, { onAnswer }), {
      ...options, recordSize, untilShort: plan.untilShort,
      recordsIn: (answer) => (answer instanceof Uint8Array ? recordCountOf(answer) : (answer as unknown[]).length),
      onShrink: (size, refused) => this.log.info({ command: hex(spec.code), refused, size }, 'gb-link answer too long for the register (ER 22); smaller pages'),
    });
  }

  /* ---------- card slots ---------- */

  /** The card in one of the register's slots as a CardChannel (59 reset, 5B transmit). */
  cardChannel(slot: CardSlot): RegisterCardChannel {
    return new RegisterCardChannel({
      powerOn: (s) => this.execute(link.cardPowerOn, { slot: s }),
      apdu: (s, apdu, effect) => this.execute(link.cardApdu, { slot: s, apdu }, { effect }),
    }, slot, this.deviceId);
  }

  /** 5A. */
  cardPowerOff(slot: CardSlot): Promise<void> {
    return this.execute(link.cardPowerOff, { slot });
  }

  /**
   * Waits for the exchange in progress, then stops listening and closes the transport.
   * Calls queued behind it, and later calls, fail with LINK_CLOSED.
   */
  async close(): Promise<void> {
    this.closing = true;
    await this.tail;
    this.channel.detach();
    if (this.transport.isOpen) await this.transport.close();
  }
}
