import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import { canonicalManifestBytes } from '../../../protocols/fwpkg/manifest.js';
import type { FirmwareTrial } from '../../../protocols/gb-link/index.js';
import { mediaInstallReportSchema, type MediaInstallReport } from '../../../protocols/gb-link/payloads/firmware.js';
import {
  sameUpgradeCardSet, sha256Hex, splitIntoUpgradeCards, UPGRADE_CARD_HEADER_SIZE, type UpgradeCardPart, type UpgradeCardSetInfo,
} from '../../../protocols/gb18240-card/upgradeCardLayout.js';
import { writeChunkSize } from '../../../protocols/gb18240-card/upgradeCardCommands.js';
import type { BorrowedDevice } from '../../devices/DevicePort.js';
import { isLinkFailure } from '../common/linkFailure.js';
import type { UpgradeCardReader, UpgradeCardReaders } from './UpgradeCardReaders.js';
import { CardWriteRefused, isCardLost, lookAtUpgradeCard, readUpgradeAreaBytes, writeUpgradeArea } from './upgradeCardIo.js';
import type { TransferOutcome, TransferPlan, UpgradeTransfer } from './UpgradeTransfer.js';
import { mediaReport, sameReport, sameTrial } from './mediaInstallReport.js';
import type { UpgradeRunContext } from './UpgradeRunContext.js';
import type { PackageForUse } from './UpgradePackages.js';

export interface CardTransferOptions {
  readonly readers: UpgradeCardReaders;
  /** The reader to write in (a name from GET /v1/readers); else UpgradeCardReaders.pick chooses. */
  readonly reader?: string;
  /**
   * How long the technician may take to carry the cards to the register and the register to read them, install and
   * reboot, before the job looks again (once, `plan.rebootMs` later) and then declares. Default 15 minutes.
   */
  readonly handoverMs?: number;
  /** How often the reader and the register are looked at while the job waits; default 1 s (progress is never silent longer). */
  readonly pollMs?: number;
  /** Most cards one package may take; more is refused before anything is written. Default 64. */
  readonly maxCards?: number;
  /** Failed writes or read-backs of one part (each on a card the technician then replaces) before the job gives up. Default 3. */
  readonly maxAttempts?: number;
  readonly now?: () => number;
}

const DEFAULT_HANDOVER_MS = 15 * 60_000;
const DEFAULT_POLL_MS = 1000;
const DEFAULT_MAX_CARDS = 64;
const DEFAULT_MAX_ATTEMPTS = 3;

/** What the IC-card path keeps in its checkpoint (TransferPlan.progress detail): which cards are written and read back. */
const cardDetailSchema = z.object({
  step: z.enum(['writing', 'handed-over']),
  packageSha256: z.string(),
  capacity: z.number().int().positive(),
  /**
   * Payload bytes per UPDATE BINARY the set was cut for (the first card's APDUs): with the capacity it fixes every
   * part's length. Absent in checkpoints from before parts were sized in whole APDUs: 1, the card filled to the byte.
   */
  apduPayload: z.number().int().positive().optional(),
  parts: z.number().int().positive(),
  verified: z.array(z.number().int().positive()),
  reader: z.string(),
  /** The register's media report (64/0A) before the technician was told: a resumed wait compares with it. */
  reportBefore: mediaInstallReportSchema.optional(),
});
type CardDetail = z.infer<typeof cardDetailSchema>;

function readDetail(value: unknown): CardDetail | undefined {
  const parsed = cardDetailSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function onTrialWith(trial: FirmwareTrial, target: string): boolean {
  return trial.state === 'on-trial' && trial.trialVersion === target;
}


type Message = { readonly 'zh-CN': string; readonly en: string };

/** What the register's 64/0A refusal reasons mean for upgrade cards (GB link SPEC §5.8.2). */
const refusalWords: Readonly<Record<MediaInstallReport['reason'], { zh: string; en: string }>> = {
  none: { zh: '原因不明', en: 'no reason given' },
  'not-found': { zh: '升级卡不全', en: 'the card set is incomplete' },
  damaged: { zh: '升级卡中的数据与校验值不符或不是升级包', en: 'the cards\' data does not match its digests or is not a package' },
  signature: { zh: '签名无效或不是收款机信任的密钥所签', en: 'its signature is missing, altered or by a key the register does not trust' },
  image: { zh: '固件映像与清单的摘要不符', en: 'the image does not match the manifest\'s digests' },
  model: { zh: '升级包不适用于该型号', en: 'the package is not for this model' },
  path: { zh: '升级包不允许经 IC 卡安装', en: 'the package may not be installed from upgrade cards' },
};


/** What one attempt at one card came to. */
type CardOutcome =
  | { readonly kind: 'verified'; readonly written: number; readonly apdus: number; readonly reused: boolean }
  | { readonly kind: 'pulled'; readonly written: number }
  | { readonly kind: 'refused'; readonly code: 'UPGRADE_CARD_NOT_BLANK_CARD' | 'UPGRADE_CARD_TOO_SMALL' | 'UPGRADE_CARD_ALREADY_WRITTEN'; readonly message: Message }
  | { readonly kind: 'failed'; readonly written: number; readonly detail: string };

/**
 * The IC-card path (DESIGN.md "ic-card"; issue 11 item 8; gb18240-card SPEC.md §8). The signed package is cut into
 * parts of one card each (header with the manifest digest and part k of n, then the data), each card's header and
 * data a whole number of full UPDATE BINARY APDUs of the first card's size (only the set's last APDU is partial). Card by card the
 * technician is told which blank upgrade card to insert into which reader; each is written in the largest chunks
 * card and reader take (extended APDUs when both do, else 247 bytes in a 255-byte short APDU), read back whole and
 * compared before it counts; the verified parts are checkpointed, so a restart asks only for the cards still
 * missing. A card pulled mid-write never counts: the job waits for it (or another blank card) and writes it again.
 * A card that is not a blank upgrade card is never written. Then the technician takes the cards to the register,
 * which reads them from its slot, checks the signature and model itself, and boots the image on trial; the job
 * waits (progress every second) until the register runs it, and the shared settle verifies and confirms it.
 */
export function cardTransfer(options: CardTransferOptions): UpgradeTransfer {
  return {
    path: 'ic-card',
    needsPackageBytes: true,
    transfer: (ctx, device, pkg, plan) => new CardRun(options, ctx, device, pkg, plan).run(),
  };
}

class CardRun {
  private readonly now: () => number;
  private readonly pollMs: number;
  private readonly fwpkg: Uint8Array;
  private readonly packageSha256: string;
  private readonly target: string;
  private readonly machine: string;
  private readonly info: UpgradeCardSetInfo;
  private verified = new Set<number>();
  private capacity: number | undefined;
  private apduPayload: number | undefined;
  private cards: UpgradeCardPart[] | undefined;
  private bytesSent = 0;
  private apdus = 0;
  private readonly resumes: { at: number; resent: number }[] = [];
  private apduKind = 'short';
  private reader: UpgradeCardReader | undefined;

  constructor(
    private readonly options: CardTransferOptions,
    private readonly ctx: UpgradeRunContext,
    private readonly device: BorrowedDevice,
    private readonly pkg: PackageForUse,
    private readonly plan: TransferPlan,
  ) {
    this.now = options.now ?? Date.now;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    if (pkg.fwpkg === undefined) throw new GatewayError('UPGRADE_CARD_PACKAGE_UNAVAILABLE', { params: { packageId: pkg.packageId } });
    this.fwpkg = pkg.fwpkg;
    this.packageSha256 = createHash('sha256').update(this.fwpkg).digest('hex');
    this.target = pkg.manifest.version;
    this.machine = device.identity.machineNumber;
    this.info = {
      packageId: pkg.packageId, version: this.target, model: plan.model, trialSeconds: plan.trialSeconds, machineNumber: this.machine,
      manifestSha256: sha256Hex(canonicalManifestBytes(pkg.manifest)),
    };
  }

  async run(): Promise<TransferOutcome> {
    const { ctx, plan } = this;
    ctx.stage('detach');
    const before = await this.device.session.firmwareTrial();
    if (onTrialWith(before, this.target)) {
      // A restart while the register was installing from the cards: it is done; nothing to write or tell.
      plan.activating();
      ctx.progress(1, `the register already runs ${this.target} on trial`);
      return { startedAt: this.fwpkg.length, bytesSent: 0, resumes: [], detail: { reused: true } };
    }
    const resumed = readDetail(plan.resumed?.detail);
    const earlier = resumed?.packageSha256 === this.packageSha256 ? resumed : undefined;
    if (earlier !== undefined) {
      this.capacity = earlier.capacity;
      this.apduPayload = earlier.apduPayload ?? 1;
      this.cards = splitIntoUpgradeCards(this.fwpkg, earlier.capacity, this.info, this.apduPayload);
      this.verified = new Set(earlier.verified);
    }
    const startedAt = this.verifiedBytes();
    this.reader = earlier?.step === 'handed-over' ? undefined : await this.options.readers.pick(this.options.reader ?? earlier?.reader);
    ctx.progress(1, this.reader === undefined ? 'the cards are with the technician' : `writing upgrade cards in reader ${this.reader.name}`);

    // The cards are written while the job is in 'detach', not 'write': the register is not touched until the
    // technician brings them, so the job must stay cancellable while it waits for him ('write' is critical: a cancel
    // waits for its end, and a job waiting for a blank card there could never be cancelled). 'write' then only
    // marks that the medium holds the whole package, read back and compared.
    if (earlier?.step !== 'handed-over') {
      while (this.cards === undefined || this.verified.size < this.cards.length) {
        await this.writeOneCard(this.nextPart());
      }
    }
    ctx.stage('write');
    ctx.progress(1, 'read-back verified');

    ctx.stage('attach');
    const parts = this.cards?.length ?? earlier?.parts ?? 0;
    const reportBefore = earlier?.step === 'handed-over' ? earlier.reportBefore : await mediaReport(this.device);
    plan.progress(this.pkg.image.length, { ...this.detail('handed-over'), ...(reportBefore === undefined ? {} : { reportBefore }) });
    ctx.waiting({
      for: 'technician', code: 'UPGRADE_CARD_HANDOVER',
      message: {
        'zh-CN': `请把 ${parts} 张升级卡拿到收款机 ${this.machine}，按第 1 张到第 ${parts} 张的顺序逐张插入其用户卡槽并在收款机上确认读卡；收款机校验签名后安装新版本并重新启动`,
        en: `Take the ${parts} upgrade cards to register ${this.machine} and insert them into its user-card slot one after the other (card 1 first), confirming each on the register; it checks the signature, installs the new version and restarts`,
      },
    });
    await this.waitForInstall(before, reportBefore);
    plan.activating();
    return {
      startedAt, bytesSent: this.bytesSent, resumes: this.resumes,
      detail: {
        cards: parts, capacity: this.capacity ?? earlier?.capacity ?? null, apduPayload: this.apduPayload ?? earlier?.apduPayload ?? null, reader: this.reader?.name ?? earlier?.reader ?? null, apdus: this.apduKind,
        updateBinaryApdus: this.apdus, packageBytes: this.fwpkg.length,
      },
    };
  }

  private nextPart(): number {
    for (let part = 1; part <= (this.cards?.length ?? 1); part += 1) if (!this.verified.has(part)) return part;
    return 1;
  }

  private verifiedBytes(): number {
    return (this.cards ?? []).filter((c) => this.verified.has(c.header.part)).reduce((n, c) => n + c.header.dataLength, 0);
  }

  private detail(step: CardDetail['step']): CardDetail {
    const earlier = readDetail(this.plan.resumed?.detail);
    return {
      step, packageSha256: this.packageSha256, capacity: this.capacity ?? 0,
      ...(this.apduPayload === undefined ? {} : { apduPayload: this.apduPayload }), parts: this.cards?.length ?? 0, verified: [...this.verified].sort((a, b) => a - b),
      reader: this.reader?.name ?? earlier?.reader ?? '',
    };
  }

  private label(part: number): { zh: string; en: string } {
    const parts = this.cards?.length;
    return parts === undefined ? { zh: '第 1 张', en: 'card 1' } : { zh: `第 ${part}/${parts} 张`, en: `card ${part} of ${parts}` };
  }

  /** Asks for part `part` until a card holds it, written and read back right. */
  private async writeOneCard(part: number): Promise<void> {
    const reader = this.reader!;
    let attempts = 0;
    let lastFailure = '';
    let prompt: { code: string; message: Message } = {
      code: 'UPGRADE_CARD_INSERT',
      message: {
        'zh-CN': `请把一张空白升级卡插入读卡器 ${reader.name}，写入后标为${this.label(part).zh}`,
        en: `Insert a blank upgrade card into reader ${reader.name}; it becomes upgrade ${this.label(part).en}`,
      },
    };
    for (;;) {
      await this.waitForCardIn(reader, prompt.code, prompt.message, part);
      const outcome = await this.attempt(reader, part);
      if (outcome.kind === 'verified') {
        this.verified.add(part);
        this.plan.progress(Math.floor(this.pkg.image.length * (this.verifiedBytes() / this.fwpkg.length)), this.detail('writing'));
        this.ctx.progress(this.verifiedBytes() / this.fwpkg.length, `upgrade ${this.label(part).en} ${outcome.reused ? 'already held its part: read back and verified' : 'written, read back and verified'}`);
        if (this.verified.size < this.cards!.length) {
          await this.waitForNoCardIn(reader, 'UPGRADE_CARD_REMOVE', {
            'zh-CN': `升级卡${this.label(part).zh}已写好并核对无误：请从读卡器 ${reader.name} 取出并在卡上标明${this.label(part).zh}`,
            en: `Upgrade ${this.label(part).en} is written and checked: take it out of reader ${reader.name} and mark it ${this.label(part).en}`,
          });
        }
        return;
      }
      if (outcome.kind === 'pulled') {
        // Never counted: what the card holds past the last confirmed APDU is unknown. The next card in is written whole.
        this.resumes.push({ at: this.verifiedBytes(), resent: outcome.written });
        // A card still in the reader after a failed exchange was not pulled: the reader or card failed, which counts
        // as an attempt, so a reader that keeps failing ends the job instead of retrying for ever.
        if (!(await this.cardLeaves(reader))) {
          attempts += 1;
          lastFailure = 'the exchange with the card failed with the card in the reader';
          if (attempts >= (this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
            throw new GatewayError('UPGRADE_CARD_WRITE_FAILED', {
              params: { part, parts: this.cards?.length ?? 1, attempts, detail: lastFailure }, data: { changed: false },
            });
          }
        }
        prompt = {
          code: 'UPGRADE_CARD_REINSERT',
          message: {
            'zh-CN': `升级卡${this.label(part).zh}在写入或核对完成前被取出：请把它重新插入读卡器 ${reader.name}（或插入另一张空白升级卡），将重新写入`,
            en: `Upgrade ${this.label(part).en} was taken out before it was written and checked: put it back into reader ${reader.name} (or insert another blank upgrade card); it will be written again`,
          },
        };
        continue;
      }
      if (outcome.kind === 'failed') {
        attempts += 1;
        lastFailure = outcome.detail;
        if (attempts >= (this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
          throw new GatewayError('UPGRADE_CARD_WRITE_FAILED', {
            params: { part, parts: this.cards?.length ?? 1, attempts, detail: lastFailure }, data: { changed: false },
          });
        }
        await this.waitForNoCardIn(reader, 'UPGRADE_CARD_WRITE_FAILED', {
          'zh-CN': `这张卡未能正确写入（${outcome.detail}）：请取出，换一张空白升级卡`,
          en: `This card could not be written right (${outcome.detail}): take it out and insert another blank upgrade card`,
        });
        continue;
      }
      await this.waitForNoCardIn(reader, outcome.code, outcome.message);
    }
  }

  /** One card in the reader: look, write unless it already holds the part, read back, compare. */
  private async attempt(reader: UpgradeCardReader, part: number): Promise<CardOutcome> {
    let written = 0;
    try {
      return await reader.withCard<CardOutcome>(async (channel, atr) => {
        const look = await lookAtUpgradeCard(channel, atr);
        if (look.kind === 'other') {
          return {
            kind: 'refused', code: 'UPGRADE_CARD_NOT_BLANK_CARD',
            message: { 'zh-CN': `读卡器 ${reader.name} 中的卡不是升级卡，未写入：请取出`, en: `The card in reader ${reader.name} is not an upgrade card (${look.detail}); nothing was written: take it out` },
          };
        }
        if (this.cards === undefined) this.planCards(look.capacity, writeChunkSize(look.limits));
        const expected = this.cards![part - 1]!;
        if (look.capacity < expected.bytes.length) {
          return {
            kind: 'refused', code: 'UPGRADE_CARD_TOO_SMALL',
            message: { 'zh-CN': `这张升级卡只有 ${look.capacity} 字节，需要 ${expected.bytes.length} 字节：请取出，换一张同型号的空白升级卡`, en: `This upgrade card holds ${look.capacity} bytes, ${expected.bytes.length} are needed: take it out and insert a blank one of the same type` },
          };
        }
        this.apduKind = look.apdus;
        const held = look.header.ok && sameUpgradeCardSet(look.header.header, expected.header) && look.header.header.dataSha256 === expected.header.dataSha256 ? look.header.header : undefined;
        if (look.header.ok && sameUpgradeCardSet(look.header.header, expected.header) && look.header.header.part !== part && this.verified.has(look.header.header.part)) {
          const other = look.header.header.part;
          return {
            kind: 'refused', code: 'UPGRADE_CARD_ALREADY_WRITTEN',
            message: { 'zh-CN': `这是已写好的升级卡${this.label(other).zh}，未再写入：请取出，插入一张空白升级卡`, en: `This is upgrade ${this.label(other).en}, already written; it was not written again: take it out and insert a blank upgrade card` },
          };
        }
        let reused = held?.part === part;
        if (reused) {
          const back = await readUpgradeAreaBytes(channel, 0, expected.bytes.length, look.limits, (bytes) => {
            this.ctx.progress(this.verifiedBytes() / this.fwpkg.length, `upgrade ${this.label(part).en} already holds its part: ${bytes} of ${expected.bytes.length} bytes read back`);
          });
          reused = Buffer.from(back).equals(Buffer.from(expected.bytes));
        }
        let apdus = 0;
        if (!reused) {
          this.ctx.running();
          const total = this.fwpkg.length;
          const base = this.verifiedBytes();
          const write = await writeUpgradeArea(channel, expected.bytes, look.limits, (offset) => {
            written = offset;
            const data = Math.max(0, offset - UPGRADE_CARD_HEADER_SIZE);
            this.ctx.progress(Math.min(0.99, (base + data) / total), `upgrade ${this.label(part).en}: ${offset} of ${expected.bytes.length} bytes written (${writeChunkSize(look.limits)} per APDU)`);
          });
          apdus = write.apdus;
          this.bytesSent += write.bytes;
          this.apdus += write.apdus;
          const back = await readUpgradeAreaBytes(channel, 0, expected.bytes.length, look.limits, (bytes) => {
            this.ctx.progress(Math.min(0.99, (base + expected.header.dataLength) / total), `upgrade ${this.label(part).en}: ${bytes} of ${expected.bytes.length} bytes read back`);
          });
          if (!Buffer.from(back).equals(Buffer.from(expected.bytes))) return { kind: 'failed', written, detail: 'the card reads back other bytes than were written' };
        }
        return { kind: 'verified', written, apdus, reused };
      });
    } catch (error) {
      if (isCardLost(error)) return { kind: 'pulled', written };
      if (error instanceof CardWriteRefused) {
        this.bytesSent += written;
        return { kind: 'failed', written, detail: error.message };
      }
      throw error;
    }
  }

  /**
   * The first card fixes the set: its capacity and the payload of its UPDATE BINARY APDUs size every part to a whole
   * number of full APDUs (SPEC §8.2), and so the number of cards. A later card written with other APDUs (a reader
   * that refuses extended ones) still takes its part, in more APDUs; a smaller one is refused (UPGRADE_CARD_TOO_SMALL).
   */
  private planCards(capacity: number, apduPayload: number): void {
    const cards = splitIntoUpgradeCards(this.fwpkg, capacity, this.info, apduPayload);
    const max = this.options.maxCards ?? DEFAULT_MAX_CARDS;
    if (cards.length > max) {
      throw new GatewayError('UPGRADE_CARD_TOO_MANY_CARDS', { params: { bytes: this.fwpkg.length, cards: cards.length, capacity, max }, data: { changed: false } });
    }
    this.capacity = capacity;
    this.apduPayload = apduPayload;
    this.cards = cards;
  }

  /** Whether the reader reports the card gone within a second (its events come a little after the failed exchange). */
  private async cardLeaves(reader: UpgradeCardReader): Promise<boolean> {
    for (let waited = 0; waited < 1000; waited += 50) {
      if (!reader.hasCard()) return true;
      await sleep(50, undefined, { signal: this.ctx.signal });
    }
    return !reader.hasCard();
  }

  private async waitForCardIn(reader: UpgradeCardReader, code: string, message: Message, part: number): Promise<void> {
    if (reader.hasCard()) return;
    this.ctx.waiting({ for: 'technician', code, message });
    const started = this.now();
    while (!reader.hasCard()) {
      this.ctx.progress(this.verifiedBytes() / this.fwpkg.length, `waiting for upgrade ${this.label(part).en} in reader ${reader.name}, ${Math.round((this.now() - started) / 1000)} s`);
      await sleep(Math.min(250, this.pollMs), undefined, { signal: this.ctx.signal });
    }
    this.ctx.running();
  }

  private async waitForNoCardIn(reader: UpgradeCardReader, code: string, message: Message): Promise<void> {
    if (!reader.hasCard()) return;
    this.ctx.waiting({ for: 'technician', code, message });
    const started = this.now();
    while (reader.hasCard()) {
      this.ctx.progress(this.verifiedBytes() / this.fwpkg.length, `waiting for the card to be taken out of reader ${reader.name}, ${Math.round((this.now() - started) / 1000)} s`);
      await sleep(Math.min(250, this.pollMs), undefined, { signal: this.ctx.signal });
    }
    this.ctx.running();
  }

  /**
   * Asks the register every `pollMs` until it runs the target on trial (or is back from trying it: settle reports the
   * revert). While it reboots, `plan.waitForRegister` waits with its own progress. A register with the media report
   * (64/0A) that reports a new refusal of upgrade cards ends the wait at once (UPGRADE_CARD_REFUSED, exit 3). The
   * deadline passing makes the job look again once, `plan.rebootMs` later; then, with the register still on its old
   * image, UPGRADE_CARD_NOT_INSTALLED.
   */
  private async waitForInstall(before: FirmwareTrial, reportBefore: MediaInstallReport | undefined): Promise<void> {
    const { ctx, plan, device } = this;
    const allowed = this.options.handoverMs ?? DEFAULT_HANDOVER_MS;
    const started = this.now();
    let away = false;
    let lookingAgain = false;
    for (;;) {
      ctx.signal.throwIfAborted();
      let running: string;
      try {
        running = (await device.session.factoryData()).firmwareVersion;
        const trial = await device.session.firmwareTrial();
        const installed = onTrialWith(trial, this.target) || (trial.trialVersion === this.target && trial.state === 'reverted' && (away || !sameTrial(trial, before)));
        if (installed) {
          // The register rebooted on its own (a poll may not have met the dark moment): the loan connects again and
          // identifies it, so the registry (and `devices`) shows what it runs now.
          await plan.waitForRegister('either');
          return;
        }
        // The register says it refused the cards (64/0A changed since the technician was told): no use waiting for the deadline.
        const report = reportBefore === undefined ? undefined : await mediaReport(device);
        if (report?.state === 'refused' && report.source === 'ic-card' && !sameReport(report, reportBefore)) {
          const words = refusalWords[report.reason];
          throw new GatewayError('UPGRADE_CARD_REFUSED', {
            params: { machine: this.machine, reason: words.en, reasonZh: words.zh, running },
            data: { registerReason: report.reason, packageVersion: report.version, changed: false },
          });
        }
      } catch (error) {
        if (!isLinkFailure(error)) throw error;
        away = true;
        await plan.waitForRegister('either');
        continue;
      }
      const elapsed = this.now() - started;
      if (elapsed >= allowed + (lookingAgain ? plan.rebootMs : 0)) {
        if (lookingAgain) {
          throw new GatewayError('UPGRADE_CARD_NOT_INSTALLED', {
            params: { machine: this.machine, seconds: Math.round(elapsed / 1000), target: this.target, running }, data: { changed: false },
          });
        }
        lookingAgain = true;
        ctx.progress(0.99, 'the expected time has passed: looking again');
      } else {
        ctx.progress(Math.min(0.99, elapsed / allowed), `waiting for the register to read the upgrade cards and install, ${Math.round(elapsed / 1000)} s of an expected ${Math.round(allowed / 1000)} s`);
      }
      await sleep(this.pollMs, undefined, { signal: ctx.signal });
    }
  }
}
