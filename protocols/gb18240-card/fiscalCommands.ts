import type { IsoDate } from './bcd.js';
import {
  checkTaxItemIndex, controlDataLayout, dailyTotalsLayout, declarationBlockLayout, declarationResultLayout, invoiceRollLayout,
  MAC_SIZE, PIN_SIZE, registerChallengeLayout, SIGNATURE_SIZE, TAX_SLOTS,
  type ControlData, type DailyTotals, type DeclarationBlock, type DeclarationResult, type InvoiceRoll, type RegisterChallenge,
} from './blocks.js';
import { defineCommand, noData } from './CardCommand.js';
import { FISCAL_CODE_SIZE } from './fiscalCode.js';
import { invalidValue, malformedResponse } from './fieldErrors.js';
import { opaqueBytesLayout, type Layout } from './Layout.js';

/** The fiscal card (税控卡) commands of GB18240.2, CLA C0. Layouts and offsets: SPEC.md. */

export const getRegisterNb = defineCommand<void, RegisterChallenge>({
  name: 'GET_REGISTER_NB', card: 'fiscal', ins: 0xf0, request: noData, response: registerChallengeLayout,
});

export interface Mac2 {
  readonly mac2: Uint8Array;
}

export const mac2Layout: Layout<Mac2> = opaqueBytesLayout('Mac2', 'mac2', MAC_SIZE);

export interface FiscalPin {
  readonly pin: Uint8Array;
}

const pinLayout: Layout<FiscalPin> = opaqueBytesLayout('FiscalPin', 'pin', PIN_SIZE);

export const terminalRegister = defineCommand<Mac2, FiscalPin>({
  name: 'TERMINAL_REGISTER', card: 'fiscal', ins: 0xf1, request: mac2Layout, response: pinLayout,
});

export type InvoiceType = 'normal' | 'return' | 'void';
const invoiceTypeCodes: Record<InvoiceType, number> = { normal: 0x01, return: 0x02, void: 0x03 };

export interface TaxLine {
  /** Index into the card's tax items (1…6), 0 for an unused line. */
  readonly taxIndex: number;
  /** Amount in fen. */
  readonly amount: number;
}

export interface IssueInvoiceRequest {
  readonly date: IsoDate;
  readonly type: InvoiceType;
  readonly invoiceNumber: number;
  /** Up to six lines; fewer are padded with empty lines. */
  readonly lines: readonly TaxLine[];
  /** Invoice total in fen. */
  readonly total: number;
}

export const issueInvoiceRequestLayout: Layout<IssueInvoiceRequest> = {
  name: 'IssueInvoiceRequest',
  size: 43,
  write(w, v) {
    if (v.lines.length > TAX_SLOTS) {
      throw invalidValue('lines', `at most ${TAX_SLOTS} lines`);
    }
    w.date(v.date, 'date').u8(invoiceTypeCodes[v.type], 'type').u32(v.invoiceNumber, 'invoiceNumber');
    for (let i = 0; i < TAX_SLOTS; i += 1) {
      const line = v.lines[i] ?? { taxIndex: 0, amount: 0 };
      checkTaxItemIndex(line.taxIndex, `lines[${i}].taxIndex`);
      w.u8(line.taxIndex, `lines[${i}].taxIndex`).u32(line.amount, `lines[${i}].amount`);
    }
    w.u32(v.total, 'total');
  },
  read(r) {
    const date = r.date('date');
    const code = r.u8('type');
    const type = (Object.keys(invoiceTypeCodes) as InvoiceType[]).find((t) => invoiceTypeCodes[t] === code);
    if (type === undefined) {
      throw malformedResponse(`IssueInvoiceRequest.type ${code} is not 01, 02 or 03`);
    }
    const invoiceNumber = r.u32('invoiceNumber');
    const lines: TaxLine[] = [];
    for (let i = 0; i < TAX_SLOTS; i += 1) lines.push({ taxIndex: r.u8(`lines[${i}].taxIndex`), amount: r.u32(`lines[${i}].amount`) });
    return { date, type, invoiceNumber, lines, total: r.u32('total') };
  },
};

export interface FiscalCodeAnswer {
  /** 8 bytes; formatFiscalCode() gives the 20 digits printed on the invoice. */
  readonly fiscalCode: Uint8Array;
}

export const issueInvoice = defineCommand<IssueInvoiceRequest, FiscalCodeAnswer>({
  name: 'ISSUE_INVOICE', card: 'fiscal', ins: 0xf2, request: issueInvoiceRequestLayout, requestXor: true,
  response: opaqueBytesLayout('FiscalCode', 'fiscalCode', FISCAL_CODE_SIZE),
});

export const declareDuty = defineCommand<DeclarationBlock, DeclarationResult>({
  name: 'DECLARE_DUTY', card: 'fiscal', ins: 0xf4,
  request: declarationBlockLayout, requestXor: true, response: declarationResultLayout, responseXor: true,
});

export interface UpdateControlsRequest {
  readonly keyId: number;
  readonly controls: ControlData;
  readonly mac2: Uint8Array;
}

const updateControlsRequestLayout: Layout<UpdateControlsRequest> = {
  name: 'UpdateControlsRequest',
  size: 1 + controlDataLayout.size + MAC_SIZE,
  write(w, v) {
    w.u8(v.keyId, 'keyId');
    controlDataLayout.write(w, v.controls);
    w.fixed(v.mac2, MAC_SIZE, 'mac2');
  },
  read(r) {
    return { keyId: r.u8('keyId'), controls: controlDataLayout.read(r), mac2: r.bytesOf(MAC_SIZE, 'mac2') };
  },
};

export const updateControls = defineCommand<UpdateControlsRequest, void>({
  name: 'UPDATE_CONTROLS', card: 'fiscal', ins: 0xf6, request: updateControlsRequestLayout, response: noData,
});

export const inputInvoiceNb = defineCommand<InvoiceRoll, void>({
  name: 'INPUT_INVOICE_NB', card: 'fiscal', ins: 0xf7, request: invoiceRollLayout, response: noData,
});

export interface NextPin {
  readonly nextPin: Uint8Array;
}

export const verifyFiscalPin = defineCommand<FiscalPin, NextPin>({
  name: 'VERIFY_FISCAL_PIN', card: 'fiscal', ins: 0xf9, request: pinLayout,
  response: opaqueBytesLayout('NextPin', 'nextPin', PIN_SIZE),
});

export interface DailySignature {
  readonly signature: Uint8Array;
}

export const dailyCollectSign = defineCommand<DailyTotals, DailySignature>({
  name: 'DAILY_COLLECT_SIGN', card: 'fiscal', ins: 0xfb, request: dailyTotalsLayout, requestXor: true, responseXor: true,
  response: opaqueBytesLayout('DailySignature', 'signature', SIGNATURE_SIZE),
});

export const fiscalCommands = {
  getRegisterNb, terminalRegister, issueInvoice, declareDuty, updateControls, inputInvoiceNb, verifyFiscalPin, dailyCollectSign,
} as const;
