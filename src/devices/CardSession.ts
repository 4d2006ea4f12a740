import type { Logger } from 'pino';
import type { CardChannel } from '../../contracts/CardChannel.js';
import { GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import type { CommandApdu } from '../../protocols/apdu/CommandApdu.js';
import { statusWordHex, SW_OK } from '../../protocols/apdu/ResponseApdu.js';
import { transceive, type TransceiveOptions } from '../../protocols/apdu/transceive.js';
import { applicationNames, cardKindOfType, fileId, fileLabel, type CardKind } from '../../protocols/gb18240-card/applications.js';
import type { ControlData, DailyTotals, DeclarationBlock, DeclarationResult, InvoiceRoll, RegisterChallenge } from '../../protocols/gb18240-card/blocks.js';
import { buildCardCommand, GB_CLA, type CardCommand } from '../../protocols/gb18240-card/CardCommand.js';
import { formatFiscalCode } from '../../protocols/gb18240-card/fiscalCode.js';
import {
  dailyCollectSign, declareDuty, getRegisterNb, inputInvoiceNb, issueInvoice, terminalRegister, updateControls, verifyFiscalPin,
  type IssueInvoiceRequest,
} from '../../protocols/gb18240-card/fiscalCommands.js';
import {
  fiscalEf01Layout, fiscalEf02Layout, fiscalEf03Layout, fiscalEf04RecordLayout, fiscalEf05RecordLayout,
  type FiscalAccumulation, type FiscalBasicData, type FiscalDeclarationRecord, type FiscalMonitoringData, type FiscalRollRecord,
} from '../../protocols/gb18240-card/fiscalFiles.js';
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

export interface CardSessionOptions {
  readonly logger?: Logger;
  readonly transceive?: TransceiveOptions;
}

export interface VerifyPinOptions {
  /**
   * Spend the card's last PIN try. Off by default: GB18240 says a gateway never spends the last
   * try, so with one try left (as the card reports it) the session refuses with CARD_PIN_LAST_TRY.
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
  private lastPinTries: number | undefined;

  constructor(
    readonly channel: CardChannel,
    private readonly options: CardSessionOptions = {},
  ) {
    this.logger = (options.logger ?? silentLogger).child({ reader: channel.description.reader });
  }

  /** Resets the card (the PIN-verified state is lost) and answers the ATR. */
  async reset(): Promise<Uint8Array> {
    this.selected = undefined;
    return this.channel.reset();
  }

  private async send(operation: CardOperation, command: CommandApdu) {
    const response = await transceive(this.channel, command, this.options.transceive);
    this.logger.debug({ command: operation, sw: statusWordHex(response.sw), length: response.data.length }, 'card exchange');
    return response;
  }

  private async exchange(operation: CardOperation, command: CommandApdu, context: StatusContext = {}): Promise<Uint8Array> {
    const response = await this.send(operation, command);
    if (response.sw !== SW_OK) throw cardStatusError(operation, response.sw, context);
    return response.data;
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
    await this.exchange('SELECT_APPLICATION', selectByName(applicationNames[kind]), { expected: cardLabels[kind] });
    this.selected = kind;
  }

  private async selectFile(kind: CardKind, ef: number): Promise<void> {
    await this.selectApplication(kind);
    await this.exchange('SELECT_FILE', selectByFileId(fileId(ef)), { file: fileLabel(ef), expected: cardLabels[kind] });
  }

  /** Reads a binary EF and decodes it; a short answer is CARD_RESPONSE_MALFORMED. */
  async readBinaryFile<T>(kind: CardKind, ef: number, layout: Layout<T>): Promise<T> {
    await this.selectFile(kind, ef);
    const data = await this.exchange('READ_BINARY', readBinary(0, layout.size), { file: fileLabel(ef) });
    return decodeLayout(layout, data);
  }

  /** Reads every record of a record EF (until 6A83, or all 254 a record EF can hold) and decodes each. */
  async readRecordFile<T>(kind: CardKind, ef: number, layout: Layout<T>): Promise<T[]> {
    await this.selectFile(kind, ef);
    const records: T[] = [];
    for (let record = 1; record <= MAX_RECORDS; record += 1) {
      const response = await this.send('READ_RECORD', readRecord(record, layout.size));
      if (response.sw === 0x6a83) return records;
      if (response.sw !== SW_OK) throw cardStatusError('READ_RECORD', response.sw, { file: fileLabel(ef) });
      records.push(decodeLayout(layout, response.data));
    }
    return records;
  }

  readFiscalMonitoring(): Promise<FiscalMonitoringData> { return this.readBinaryFile('fiscal', 0x01, fiscalEf01Layout); }
  readFiscalBasic(): Promise<FiscalBasicData> { return this.readBinaryFile('fiscal', 0x02, fiscalEf02Layout); }
  readFiscalAccumulation(): Promise<FiscalAccumulation> { return this.readBinaryFile('fiscal', 0x03, fiscalEf03Layout); }
  readFiscalDeclarations(): Promise<FiscalDeclarationRecord[]> { return this.readRecordFile('fiscal', 0x04, fiscalEf04RecordLayout); }
  readFiscalRolls(): Promise<FiscalRollRecord[]> { return this.readRecordFile('fiscal', 0x05, fiscalEf05RecordLayout); }

  readUserControls(): Promise<UserControlRecord[]> { return this.readRecordFile('user', 0x01, userEf01RecordLayout); }
  readUserBasic(): Promise<UserBasicData> { return this.readBinaryFile('user', 0x02, userEf02Layout); }
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
   * How many PIN tries the fiscal card has left, asked without spending one (VERIFY without
   * data, SPEC.md §2.3); 0 when locked; undefined when the card will not tell.
   */
  async pinTriesLeft(): Promise<number | undefined> {
    await this.selectApplication('fiscal');
    const response = await this.send('PIN_TRIES', { cla: GB_CLA, ins: verifyFiscalPin.ins, p1: 0, p2: 0, data: new Uint8Array(0) });
    if ((response.sw & 0xfff0) === 0x63c0) this.lastPinTries = response.sw & 0x0f;
    else if (response.sw === 0x6983) this.lastPinTries = 0;
    else if (response.sw === 0x6901) throw cardStatusError('VERIFY_FISCAL_PIN', response.sw);
    return this.lastPinTries;
  }

  /**
   * Fiscal card F9: verifies the stored PIN and answers the next PIN, which the caller must store
   * before doing anything else. A wrong PIN throws CARD_PIN_WRONG with `triesLeft` and is never
   * retried here.
   */
  async verifyFiscalPin(pin: Uint8Array, options: VerifyPinOptions = {}): Promise<Uint8Array> {
    if (options.spendLastTry !== true) {
      const tries = await this.pinTriesLeft();
      if (tries === 0) throw new GatewayError('CARD_PIN_LOCKED', { data: { command: 'VERIFY_FISCAL_PIN', triesLeft: 0 } });
      if (tries === 1) throw new GatewayError('CARD_PIN_LAST_TRY', { params: { triesLeft: 1 }, data: { triesLeft: 1 } });
    }
    try {
      const { nextPin } = await this.run(verifyFiscalPin, { pin });
      this.lastPinTries = undefined;
      return nextPin;
    } catch (error) {
      if (isGatewayError(error, 'CARD_PIN_WRONG')) this.lastPinTries = Number(error.params.triesLeft);
      if (isGatewayError(error, 'CARD_PIN_LOCKED')) this.lastPinTries = 0;
      throw error;
    }
  }

  /** The tries left as last reported by the card in this session (63Cx or a tries query). */
  get knownPinTries(): number | undefined {
    return this.lastPinTries;
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
