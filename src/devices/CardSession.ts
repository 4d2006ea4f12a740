import type { Logger } from 'pino';
import type { CardChannel } from '../../contracts/CardChannel.js';
import { GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import type { CommandApdu } from '../../protocols/apdu/CommandApdu.js';
import { statusWordHex, SW_OK, type ResponseApdu } from '../../protocols/apdu/ResponseApdu.js';
import { SHORT_MAX_LE } from '../../protocols/apdu/CommandApdu.js';
import type { StatusWarning } from '../../protocols/apdu/statusWords.js';
import { statedFileSize } from '../../protocols/gb18240-card/fci.js';
import { transceive, type TransceiveOptions } from '../../protocols/apdu/transceive.js';
import { applicationNames, cardKindOfType, fileId, fileLabel, type CardKind } from '../../protocols/gb18240-card/applications.js';
import type { ControlData, DailyTotals, DeclarationBlock, DeclarationResult, InvoiceRoll, RegisterChallenge } from '../../protocols/gb18240-card/blocks.js';
import { buildCardCommand, type CardCommand } from '../../protocols/gb18240-card/CardCommand.js';
import { formatFiscalCode } from '../../protocols/gb18240-card/fiscalCode.js';
import {
  dailyCollectSign, declareDuty, getRegisterNb, inputInvoiceNb, issueInvoice, terminalRegister, updateControls, verifyFiscalPin,
  type IssueInvoiceRequest,
} from '../../protocols/gb18240-card/fiscalCommands.js';
import {
  fiscalEf01Layout, fiscalEf02Layout, fiscalEf03Layout, fiscalEf04RecordLayout, fiscalEf05RecordLayout,
  type FiscalAccumulation, type FiscalBasicData, type FiscalDeclarationRecord, type FiscalMonitoringData, type FiscalRollRecord,
} from '../../protocols/gb18240-card/fiscalFiles.js';
import { pinTriesFromQuery, pinTriesQuery, type PinTries } from '../../protocols/gb18240-card/pinTries.js';
import { assessRegistration, type RegistrationAssessment } from '../../protocols/gb18240-card/registration.js';
import { inspectionEf02Layout, type InspectionBasicData } from '../../protocols/gb18240-card/inspectionFiles.js';
import { readBinary, readRecord, selectByFileId, selectByName } from '../../protocols/gb18240-card/isoCommands.js';
import { decodeLayout, type Layout } from '../../protocols/gb18240-card/Layout.js';
import { cardStatusError, type CardOperation, type StatusContext } from '../../protocols/gb18240-card/statusTable.js';
import { dataCollect, distributeInvoiceNb, registerSign, type DataCollectRequest } from '../../protocols/gb18240-card/userCommands.js';
import {
  userEf01RecordLayout, userEf02Layout, userEf03RecordLayout, userEf04RecordLayout, userEf05RecordLayout, userEf06RecordLayout, userEf07Layout,
  type PurchasedRolls, type TaxItem, type UserBasicData, type UserControlRecord, type UserDeclarationRecord, type UserMachineRecord,
} from '../../protocols/gb18240-card/userFiles.js';
import { silentLogger } from '../log.js';

export type IdentifiedCard = CardKind | 'unknown';

/** The fiscal card's registration as assessed (registration.ts) and the PIN tries the card told on the way. */
export type FiscalRegistration = RegistrationAssessment & { readonly pinTries: PinTries };

/** Fiscal files a caller has read already (readFiscalRegistration does not read them again). */
export interface FiscalFilesRead {
  readonly rolls?: readonly FiscalRollRecord[];
  readonly declarations?: readonly FiscalDeclarationRecord[];
  readonly accumulation?: FiscalAccumulation;
}

/** An ISO warning a read or select was answered with, and took. */
export interface CardWarningNote {
  readonly operation: CardOperation;
  readonly file?: string;
  readonly warning: StatusWarning;
}

/** A part read that the card refused or answered malformed: no sign either way. A card or link that went away still throws. */
async function cardAnswerOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isGatewayError(error) && error.code.startsWith('CARD_') && error.code !== 'CARD_REMOVED' && error.code !== 'CARD_ABSENT' && error.code !== 'CARD_TRANSMIT_FAILED') return undefined;
    throw error;
  }
}

export interface CardSessionOptions {
  readonly logger?: Logger;
  readonly transceive?: TransceiveOptions;
}

export interface VerifyPinOptions {
  /**
   * Spend the card's last PIN try. Off by default: GB18240 says a gateway never spends the last
   * try, so with one try left (as the card reports it) the session refuses with CARD_PIN_LAST_TRY,
   * and with the tries unknown (any try might be the last) with CARD_PIN_TRIES_UNKNOWN.
   */
  readonly spendLastTry?: boolean;
}

export interface IssuedInvoice {
  readonly fiscalCode: Uint8Array;
  /** The 20 digits printed on the invoice. */
  readonly fiscalCodeDigits: string;
}

const cardLabels: Readonly<Record<CardKind, string>> = {
  fiscal: 'fiscal card (税控卡)',
  user: 'user card (用户卡)',
  inspection: 'inspection card (稽查卡)',
  upgrade: 'upgrade card (升级卡)',
};

/** READ RECORD addresses records 1…254 (P1 = FF is reserved), so no record EF holds more. */
const MAX_RECORDS = 254;

/**
 * Typed GB18240.2 operations over any CardChannel (PC/SC reader, register slot, virtual card).
 * Every operation selects its application when needed; every failure is a GatewayError from
 * the command's status-word table. A wrong PIN is never retried.
 */
export class CardSession {
  private readonly logger: Logger;
  private selected: CardKind | undefined;
  /** From this session's last failed verification (63Cx, 6983), until a reset or a right PIN. */
  private pinTries: PinTries | undefined;
  /** After this session's right PIN: the count the card told before it, a floor for the full count it restored. */
  private restoredAtLeast: number | undefined;
  private readonly noted: CardWarningNote[] = [];

  constructor(
    readonly channel: CardChannel,
    private readonly options: CardSessionOptions = {},
  ) {
    this.logger = (options.logger ?? silentLogger).child({ reader: channel.description.reader });
  }

  /** Resets the card (the PIN-verified state is lost) and answers the ATR. */
  async reset(): Promise<Uint8Array> {
    this.selected = undefined;
    this.pinTries = undefined;
    this.restoredAtLeast = undefined;
    return this.channel.reset();
  }

  private async send(operation: CardOperation, command: CommandApdu) {
    const response = await transceive(this.channel, command, this.options.transceive);
    this.logger.debug({ command: operation, sw: statusWordHex(response.sw), length: response.data.length }, 'card exchange');
    return response;
  }

  /**
   * Sends one command and answers its data on 9000. With `takeWarning` (reads and selects only) an
   * ISO 7816-4 warning (62xx/63xx but 63Cx) also answers its data, and is noted in `warnings`; 6281
   * (data may be corrupted) never is. Every other status word is a typed error (statusTable.ts).
   */
  private async exchange(operation: CardOperation, command: CommandApdu, context: StatusContext = {}, takeWarning = false): Promise<Uint8Array> {
    return this.accept(operation, await this.send(operation, command), context, takeWarning);
  }

  /** What `exchange` makes of an answer. */
  private accept(operation: CardOperation, response: ResponseApdu, context: StatusContext, takeWarning: boolean): Uint8Array {
    if (response.sw === SW_OK) return response.data;
    const warning = response.warning;
    if (takeWarning && warning !== undefined && warning.warning !== 'data-may-be-corrupted') {
      this.noted.push({ operation, ...(context.file === undefined ? {} : { file: context.file }), warning });
      this.logger.info({ command: operation, sw: warning.hex, warning: warning.warning, file: context.file }, 'card answered with a warning');
      return response.data;
    }
    throw cardStatusError(operation, response.sw, context);
  }

  /** The ISO warnings this session took with their data (6282 end of file, 6283 file deactivated…). */
  get warnings(): readonly CardWarningNote[] {
    return this.noted;
  }

  /** Which card this is: by the application it answers to, confirmed by the card type in EF02. */
  async identify(): Promise<IdentifiedCard> {
    for (const kind of ['fiscal', 'user', 'inspection', 'upgrade'] as const) {
      const selected = await this.send('SELECT_APPLICATION', selectByName(applicationNames[kind]));
      if (selected.sw !== SW_OK) continue;
      this.selected = kind;
      const file = await this.send('SELECT_FILE', selectByFileId(fileId(0x02)));
      if (file.sw !== SW_OK) return kind;
      const typeByte = await this.send('READ_BINARY', readBinary(0, 1));
      if (typeByte.sw !== SW_OK || typeByte.data.length < 1) return kind;
      const typed = cardKindOfType(typeByte.data[0]!);
      return typed === kind ? kind : 'unknown';
    }
    this.selected = undefined;
    return 'unknown';
  }

  /** Selects the application of `kind`; another card answers CARD_WRONG_TYPE. */
  async selectApplication(kind: CardKind): Promise<void> {
    if (this.selected === kind) return;
    this.selected = undefined;
    await this.exchange('SELECT_APPLICATION', selectByName(applicationNames[kind]), { expected: cardLabels[kind] }, true);
    this.selected = kind;
  }

  private async selectFile(kind: CardKind, ef: number): Promise<void> {
    await this.selectApplication(kind);
    await this.exchange('SELECT_FILE', selectByFileId(fileId(ef)), { file: fileLabel(ef), expected: cardLabels[kind] }, true);
  }

  /**
   * Reads a binary EF and decodes it; a short answer is CARD_RESPONSE_MALFORMED. `fixed`: the size
   * GB18240.md gives is asked (Le = layout size). `as-the-card-says` (sizes GB18240.md does not give,
   * SPEC.md §1 "File sizes"): SELECT asks for the FCI (Le 00) and the size it states (tag 80/81) is
   * read; a card that states none is read with Le 00 ("all there is", taking 9000 with fewer bytes,
   * 6282, or 6Cxx re-sent by transceive); a card refusing either form is asked the layout's size.
   */
  async readBinaryFile<T>(kind: CardKind, ef: number, layout: Layout<T>, size: 'fixed' | 'as-the-card-says' = 'fixed'): Promise<T> {
    const file = fileLabel(ef);
    if (size === 'fixed') {
      await this.selectFile(kind, ef);
      return decodeLayout(layout, await this.exchange('READ_BINARY', readBinary(0, layout.size), { file }, true));
    }
    const stated = await this.selectFileAskingSize(kind, ef);
    // A stated 0 (or none) asks "all there is" (Le 00): the answer then shows what the file holds.
    const asked = stated === undefined || stated === 0 ? SHORT_MAX_LE : Math.min(stated, SHORT_MAX_LE);
    const first = await this.send('READ_BINARY', readBinary(0, asked));
    const data = first.sw === 0x6700 || first.sw === 0x6b00
      ? await this.exchange('READ_BINARY', readBinary(0, layout.size), { file }, true)
      : this.accept('READ_BINARY', first, { file }, true);
    if (data.length < layout.size) {
      throw new GatewayError('CARD_RESPONSE_MALFORMED', {
        params: { detail: `${file} holds ${data.length} bytes${stated === undefined ? '' : ` (its FCI states ${stated})`}, ${layout.name} needs ${layout.size}` },
      });
    }
    return decodeLayout(layout, data);
  }

  /** Selects EF `ef` asking for its FCI; the size it states, or undefined (no FCI, or a card refusing Le on SELECT). */
  private async selectFileAskingSize(kind: CardKind, ef: number): Promise<number | undefined> {
    await this.selectApplication(kind);
    const context = { file: fileLabel(ef), expected: cardLabels[kind] };
    const answer = await this.send('SELECT_FILE', selectByFileId(fileId(ef), { askControlParameters: true }));
    if (answer.sw === SW_OK || (answer.warning !== undefined && answer.warning.warning !== 'data-may-be-corrupted')) {
      return statedFileSize(answer.data)?.bytes;
    }
    if (answer.sw === 0x6a82) throw cardStatusError('SELECT_FILE', answer.sw, context);
    await this.exchange('SELECT_FILE', selectByFileId(fileId(ef)), context, true);
    return undefined;
  }

  /** Reads every record of a record EF (until 6A83, or all 254 a record EF can hold) and decodes each. */
  async readRecordFile<T>(kind: CardKind, ef: number, layout: Layout<T>): Promise<T[]> {
    await this.selectFile(kind, ef);
    const records: T[] = [];
    for (let record = 1; record <= MAX_RECORDS; record += 1) {
      const response = await this.send('READ_RECORD', readRecord(record, layout.size));
      if (response.sw === 0x6a83) return records;
      records.push(decodeLayout(layout, this.accept('READ_RECORD', response, { file: fileLabel(ef) }, true)));
    }
    return records;
  }

  readFiscalMonitoring(): Promise<FiscalMonitoringData> { return this.readBinaryFile('fiscal', 0x01, fiscalEf01Layout); }
  readFiscalBasic(): Promise<FiscalBasicData> { return this.readBinaryFile('fiscal', 0x02, fiscalEf02Layout); }
  /** EF03's size is not in GB18240.md: as the card states it (SPEC.md §1 "File sizes"). */
  readFiscalAccumulation(): Promise<FiscalAccumulation> { return this.readBinaryFile('fiscal', 0x03, fiscalEf03Layout, 'as-the-card-says'); }
  readFiscalDeclarations(): Promise<FiscalDeclarationRecord[]> { return this.readRecordFile('fiscal', 0x04, fiscalEf04RecordLayout); }
  readFiscalRolls(): Promise<FiscalRollRecord[]> { return this.readRecordFile('fiscal', 0x05, fiscalEf05RecordLayout); }

  readUserControls(): Promise<UserControlRecord[]> { return this.readRecordFile('user', 0x01, userEf01RecordLayout); }
  /** User EF02's size is not in GB18240.md: as the card states it (SPEC.md §1 "File sizes"). */
  readUserBasic(): Promise<UserBasicData> { return this.readBinaryFile('user', 0x02, userEf02Layout, 'as-the-card-says'); }
  readUserTaxItems(): Promise<TaxItem[]> { return this.readRecordFile('user', 0x03, userEf03RecordLayout); }
  readUserDeclarations(): Promise<UserDeclarationRecord[]> { return this.readRecordFile('user', 0x04, userEf04RecordLayout); }
  readUserPurchasedRolls(): Promise<PurchasedRolls[]> { return this.readRecordFile('user', 0x05, userEf05RecordLayout); }
  readUserMachines(): Promise<UserMachineRecord[]> { return this.readRecordFile('user', 0x06, userEf06RecordLayout); }
  /** EF07: the last roll handed out, to recover a distribution whose answer was lost; null before the first. */
  readUserLastDistributedRoll(): Promise<InvoiceRoll | null> { return this.readBinaryFile('user', 0x07, userEf07Layout); }

  readInspectionBasic(): Promise<InspectionBasicData> { return this.readBinaryFile('inspection', 0x02, inspectionEf02Layout); }

  private async run<Request, Response>(command: CardCommand<Request, Response>, request: Request): Promise<Response> {
    await this.selectApplication(command.card);
    const data = await this.exchange(command.name, buildCardCommand(command, request), { expected: cardLabels[command.card] });
    return command.decodeResponse(data);
  }

  /** Fiscal card F0: the registration challenge (random, card number, MAC1). */
  getRegisterNb(): Promise<RegisterChallenge> {
    return this.run(getRegisterNb, undefined);
  }

  /** User card E4: countersigns the fiscal card's challenge, answering MAC2. */
  async registerSign(challenge: RegisterChallenge): Promise<Uint8Array> {
    return (await this.run(registerSign, challenge)).mac2;
  }

  /** Fiscal card F1: completes registration with MAC2 and answers the fiscal PIN. */
  async terminalRegister(mac2: Uint8Array): Promise<Uint8Array> {
    return (await this.run(terminalRegister, { mac2 })).pin;
  }

  /**
   * How many PIN tries the fiscal card has left, learned without spending one (SPEC.md §2.3): the
   * 63Cx of this session's last real verification, else the ISO 7816-4 VERIFY query `00 20 00 00`
   * (no data: defined to retrieve the status, never to count a try). A card that does not answer
   * the query with a count is asked anyway each time (a register may have verified in between), and
   * falls back to the 63Cx this session saw since its last reset; else the tries are unknown.
   * Never sends VERIFY_FISCAL_PIN (F9) or anything else that may count a try.
   */
  async pinTriesLeft(): Promise<PinTries> {
    await this.selectApplication('fiscal');
    const response = await this.send('PIN_TRIES', pinTriesQuery());
    const asked = pinTriesFromQuery(response.sw);
    if (asked.known || this.pinTries === undefined) return asked;
    return this.pinTries;
  }

  /**
   * Whether the fiscal card is registered (SPEC.md §3.2): EF02's flag cross-checked with the ISO
   * VERIFY query (a PIN held or not) and with what only a registered card can hold (rolls in EF05,
   * declarations in EF04, invoices or signatures in EF03). Reads only; never decides on the flag byte.
   * A file the card refuses is no sign either way. Files the caller has read already may be passed in.
   */
  async readFiscalRegistration(basic?: FiscalBasicData, read: FiscalFilesRead = {}): Promise<FiscalRegistration> {
    const { registrationFlag } = basic ?? await this.readFiscalBasic();
    const pinTries = await this.pinTriesLeft();
    const mountedRolls = (read.rolls ?? await cardAnswerOrUndefined(() => this.readFiscalRolls()))?.length;
    const declarations = (read.declarations ?? await cardAnswerOrUndefined(() => this.readFiscalDeclarations()))?.length;
    const accumulation = read.accumulation ?? await cardAnswerOrUndefined(() => this.readFiscalAccumulation());
    const assessment = assessRegistration({
      flag: registrationFlag, pinTries,
      ...(mountedRolls === undefined ? {} : { mountedRolls }),
      ...(declarations === undefined ? {} : { declarations }),
      ...(accumulation === undefined ? {} : { accumulation }),
    });
    return { ...assessment, pinTries };
  }

  /**
   * Fiscal card F9: verifies the stored PIN and answers the next PIN, which the caller must store
   * before doing anything else. A wrong PIN throws CARD_PIN_WRONG with `triesLeft` and is never
   * retried here. Unless `spendLastTry`, it is refused (nothing sent) on the last try
   * (CARD_PIN_LAST_TRY) and when the tries are unknown, since any try might be the last
   * (CARD_PIN_TRIES_UNKNOWN).
   */
  async verifyFiscalPin(pin: Uint8Array, options: VerifyPinOptions = {}): Promise<Uint8Array> {
    const tries = await this.pinTriesLeft();
    if (tries.known && tries.left === 0) throw new GatewayError('CARD_PIN_LOCKED', { data: { command: 'VERIFY_FISCAL_PIN', triesLeft: 0 } });
    if (!tries.known && tries.reason === 'not-registered') throw new GatewayError('CARD_NOT_REGISTERED', { data: { command: 'VERIFY_FISCAL_PIN', sw: tries.sw } });
    // 9000 to the query after this session's own right PIN: the card restored its full count, at least what it told before.
    const restored = !tries.known && tries.reason === 'verified' && (this.restoredAtLeast ?? 0) >= 2;
    if (options.spendLastTry !== true && !restored) {
      if (!tries.known) throw new GatewayError('CARD_PIN_TRIES_UNKNOWN', { data: { reason: tries.reason, ...(tries.sw === undefined ? {} : { sw: tries.sw }) } });
      if (tries.left === 1) throw new GatewayError('CARD_PIN_LAST_TRY', { params: { triesLeft: 1 }, data: { triesLeft: 1 } });
    }
    try {
      const { nextPin } = await this.run(verifyFiscalPin, { pin });
      // A right PIN restores the card's full count, which only the card knows; it is at least the count known before.
      this.pinTries = undefined;
      this.restoredAtLeast = tries.known ? tries.left : restored ? this.restoredAtLeast : undefined;
      return nextPin;
    } catch (error) {
      if (isGatewayError(error, 'CARD_PIN_WRONG')) this.pinTries = { known: true, left: Number(error.params.triesLeft), source: 'verification' };
      else if (isGatewayError(error, 'CARD_PIN_LOCKED')) this.pinTries = { known: true, left: 0, source: 'verification' };
      else this.pinTries = undefined;
      this.restoredAtLeast = undefined;
      throw error;
    }
  }

  /** The tries this session learned from its own last verification's 63Cx / 6983 since reset; undefined otherwise. */
  get knownPinTries(): PinTries | undefined {
    return this.pinTries;
  }

  /** User card E9: hands out one roll (CARD_NO_ROLL_TO_DISTRIBUTE when none is left). */
  distributeInvoiceNb(): Promise<InvoiceRoll> {
    return this.run(distributeInvoiceNb, undefined);
  }

  /** Fiscal card F7 (after VERIFY PIN): mounts a distributed roll. */
  async inputInvoiceNb(roll: InvoiceRoll): Promise<void> {
    await this.run(inputInvoiceNb, roll);
  }

  /** Fiscal card F2 (after VERIFY PIN): answers the fiscal code of the invoice. */
  async issueInvoice(invoice: IssueInvoiceRequest): Promise<IssuedInvoice> {
    const { fiscalCode } = await this.run(issueInvoice, invoice);
    return { fiscalCode, fiscalCodeDigits: formatFiscalCode(fiscalCode) };
  }

  /** Fiscal card FB (after VERIFY PIN): the 128-byte signature of one day's totals. */
  async dailyCollectSign(totals: DailyTotals): Promise<Uint8Array> {
    return (await this.run(dailyCollectSign, totals)).signature;
  }

  /** Fiscal card F4 (after VERIFY PIN): declares a period; the answer goes to the user card with DATA_COLLECT. */
  declareDuty(block: DeclarationBlock): Promise<DeclarationResult> {
    return this.run(declareDuty, block);
  }

  /** User card E6: stores a declaration for the tax office. */
  async dataCollect(request: DataCollectRequest): Promise<void> {
    await this.run(dataCollect, request);
  }

  /** Fiscal card F6 (after VERIFY PIN): new monitoring data from the user card's EF01 record of this fiscal card. */
  async updateControls(record: { keyId: number; controls: ControlData; mac2: Uint8Array }): Promise<void> {
    await this.run(updateControls, { keyId: record.keyId, controls: record.controls, mac2: record.mac2 });
  }
}
