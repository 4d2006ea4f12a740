import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { decodeCommandApdu, encodeCommandApdu } from '../../../protocols/apdu/CommandApdu.js';
import {
  buildCardCommand, controlDataLayout, dailyTotalsLayout, declarationBlockLayout, declarationResultLayout, decodeLayout, encodeLayout,
  fiscalCommands, fiscalEf01Layout, fiscalEf02Layout, fiscalEf03Layout, fiscalEf04RecordLayout, fiscalEf05RecordLayout,
  inspectionEf02Layout, invoiceRollLayout, issueInvoiceRequestLayout, registerChallengeLayout, userCommands, userEf01RecordLayout,
  userEf02Layout, userEf03RecordLayout, userEf04RecordLayout, userEf05RecordLayout, userEf06RecordLayout, userEf07Layout,
  type CardCommand, type Layout,
} from '../../../protocols/gb18240-card/index.js';
import * as A from './arbitraries.js';

interface LayoutCase {
  readonly layout: Layout<unknown>;
  readonly values: fc.Arbitrary<unknown>;
}

const layoutCase = <T>(layout: Layout<T>, values: fc.Arbitrary<T>): LayoutCase => ({ layout: layout as Layout<unknown>, values });

const layouts: LayoutCase[] = [
  layoutCase(registerChallengeLayout, A.registerChallenge),
  layoutCase(invoiceRollLayout, A.invoiceRoll),
  layoutCase(controlDataLayout, A.controlData),
  layoutCase(declarationBlockLayout, A.declarationBlock),
  layoutCase(declarationResultLayout, A.declarationResult),
  layoutCase(dailyTotalsLayout, A.dailyTotals),
  layoutCase(issueInvoiceRequestLayout, A.issueInvoiceRequest),
  layoutCase(fiscalEf01Layout, fc.record({
    issueDeadline: A.isoDate, singleInvoiceLimit: A.u32, cumulativeLimit: A.u32, returnLimit: A.u32, taxIndex: A.taxIndex, detailMode: A.u8,
  })),
  layoutCase(fiscalEf02Layout, fc.record({
    cardType: A.u8, registrationFlag: A.u8, cardNumber: A.digits(16), machineNumber: A.digits(16), taxpayerNumber: A.digits(16),
    taxpayerId: A.ascii(20), applicationStart: A.isoDate, validUntil: A.isoDate, applicationType: A.u8, version: A.u8, fci: A.u8,
    taxpayerName: A.gbk(40), officeCode: A.u32, declarationMode: A.u8, pinMode: A.u8,
  })),
  layoutCase(fiscalEf03Layout, fc.record({
    lastIssueDate: A.optionalDate, validCount: A.u32, returnCount: A.u32, voidCount: A.u32, validTotal: A.u32, returnTotal: A.u32,
    validAmounts: A.amounts, returnAmounts: A.amounts, lastSignedDate: A.optionalDate, lastDeclaredEnd: A.optionalDate,
  })),
  layoutCase(fiscalEf04RecordLayout, fc.record({
    declaration: A.declarationBlock, validTotal: A.u32, returnTotal: A.u32, status: A.u8, mac1: A.bytes(4),
  })),
  layoutCase(fiscalEf05RecordLayout, fc.record({ flag: A.u8, invoiceCode: A.digits(20), start: A.u32, end: A.u32 })),
  layoutCase(userEf01RecordLayout, fc.record({ fiscalCardNumber: A.digits(16), keyId: A.u8, controls: A.controlData, mac2: A.bytes(4) })),
  layoutCase(userEf02Layout, fc.record({
    cardType: A.u8, cardNumber: A.digits(16), taxpayerNumber: A.digits(16), taxpayerId: A.ascii(20), applicationStart: A.isoDate,
    validUntil: A.isoDate, taxpayerName: A.gbk(40), officeCode: A.u32,
  })),
  layoutCase(userEf03RecordLayout, fc.record({ index: A.u8, itemCode: A.digits(8), rate: A.u16, nameZh: A.gbk(20), nameEn: A.ascii(20) })),
  layoutCase(userEf04RecordLayout, fc.record({
    flag: A.u8, fiscalCardNumber: A.digits(16), declaration: A.declarationBlock, result: A.declarationResult,
  })),
  layoutCase(userEf05RecordLayout, fc.record({ invoiceCode: A.digits(20), start: A.u32, end: A.u32, rollCount: A.u16 })),
  layoutCase(userEf06RecordLayout, fc.record({ machineNumber: A.digits(16), fiscalCardNumber: A.digits(16), tag: A.u16 })),
  layoutCase(userEf07Layout, fc.option(
    A.invoiceRoll.filter((r) => !(r.invoiceCode === '0'.repeat(20) && r.start === 0 && r.end === 0 && r.mac.every((b) => b === 0))),
    { nil: null },
  )),
  layoutCase(inspectionEf02Layout, fc.record({
    cardType: A.u8, cardNumber: A.digits(16), officeCode: A.u32, validUntil: A.isoDate, holderName: A.gbk(20),
  })),
];

/** Decoding must give a value or a GatewayError, never anything else. */
function decodesOrGatewayError(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
  }
}

describe.each(layouts.map((c) => [c.layout.name, c] as const))('layout %s', (_name, { layout, values }) => {
  it('decodes what it encodes, in exactly its size', () => {
    fc.assert(fc.property(values, (value) => {
      const encoded = encodeLayout(layout, value);
      expect(encoded.length).toBe(layout.size);
      expect(decodeLayout(layout, encoded)).toEqual(value);
    }), { numRuns: 60 });
  });

  it('refuses any truncation with CARD_RESPONSE_MALFORMED', () => {
    fc.assert(fc.property(values, fc.nat(), (value, cut) => {
      const encoded = encodeLayout(layout, value);
      const short = encoded.slice(0, cut % layout.size);
      try {
        decodeLayout(layout, short);
        expect.unreachable();
      } catch (error) {
        expect(isGatewayError(error, 'CARD_RESPONSE_MALFORMED')).toBe(true);
      }
    }), { numRuns: 40 });
  });

  it('throws nothing but GatewayError on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: layout.size + 8 }), (raw) => decodesOrGatewayError(() => decodeLayout(layout, raw))), { numRuns: 100 });
  });
});

interface CommandCase {
  readonly command: CardCommand<unknown, unknown>;
  readonly requests: fc.Arbitrary<unknown>;
  readonly responses: fc.Arbitrary<unknown>;
}
const commandCase = <Q, R>(command: CardCommand<Q, R>, requests: fc.Arbitrary<Q>, responses: fc.Arbitrary<R>): CommandCase =>
  ({ command: command as unknown as CardCommand<unknown, unknown>, requests, responses });
const nothing = fc.constant(undefined);

const commands: CommandCase[] = [
  commandCase(fiscalCommands.getRegisterNb, nothing, A.registerChallenge),
  commandCase(fiscalCommands.terminalRegister, fc.record({ mac2: A.bytes(4) }), fc.record({ pin: A.bytes(8) })),
  commandCase(fiscalCommands.issueInvoice, A.issueInvoiceRequest, fc.record({ fiscalCode: A.bytes(8) })),
  commandCase(fiscalCommands.declareDuty, A.declarationBlock, A.declarationResult),
  commandCase(fiscalCommands.updateControls, fc.record({ keyId: A.u8, controls: A.controlData, mac2: A.bytes(4) }), nothing),
  commandCase(fiscalCommands.inputInvoiceNb, A.invoiceRoll, nothing),
  commandCase(fiscalCommands.verifyFiscalPin, fc.record({ pin: A.bytes(8) }), fc.record({ nextPin: A.bytes(8) })),
  commandCase(fiscalCommands.dailyCollectSign, A.dailyTotals, fc.record({ signature: A.bytes(128) })),
  commandCase(userCommands.registerSign, A.registerChallenge, fc.record({ mac2: A.bytes(4) })),
  commandCase(userCommands.dataCollect, fc.record({ fiscalCardNumber: A.digits(16), declaration: A.declarationBlock, result: A.declarationResult }), nothing),
  commandCase(userCommands.distributeInvoiceNb, nothing, A.invoiceRoll),
];

const sizes: Record<string, [number, number]> = {
  GET_REGISTER_NB: [0, 16], TERMINAL_REGISTER: [4, 8], ISSUE_INVOICE: [44, 8], DECLARE_DUTY: [71, 142], UPDATE_CONTROLS: [29, 0],
  INPUT_INVOICE_NB: [22, 0], VERIFY_FISCAL_PIN: [8, 8], DAILY_COLLECT_SIGN: [65, 129], REGISTER_SIGN: [16, 4], DATA_COLLECT: [220, 0],
  DISTRIBUTE_INVOICE_NB: [0, 22],
};

describe.each(commands.map((c) => [c.command.name, c] as const))('command %s', (name, { command, requests, responses }) => {
  it('has the data sizes of GB18240.md', () => {
    expect([command.requestSize, command.responseSize]).toEqual(sizes[name]);
  });

  it('round-trips its request through a C0 APDU', () => {
    fc.assert(fc.property(requests, (request) => {
      const apdu = encodeCommandApdu(buildCardCommand(command, request));
      const decoded = decodeCommandApdu(apdu);
      expect([decoded.cla, decoded.ins]).toEqual([0xc0, command.ins]);
      expect(decoded.data.length).toBe(command.requestSize);
      expect(decoded.le).toBe(command.responseSize === 0 ? undefined : command.responseSize);
      expect(command.decodeRequest(decoded.data)).toEqual(request);
    }), { numRuns: 40 });
  });

  it('round-trips its response', () => {
    fc.assert(fc.property(responses, (response) => {
      const data = command.encodeResponse(response);
      expect(data.length).toBe(command.responseSize);
      expect(command.decodeResponse(data)).toEqual(response);
    }), { numRuns: 40 });
  });

  it('refuses a response of another length, and random bytes give a value or a GatewayError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: command.responseSize + 4 }), (raw) => {
      if (raw.length !== command.responseSize) {
        try {
          command.decodeResponse(raw);
          expect.unreachable();
        } catch (error) {
          expect(isGatewayError(error, 'CARD_RESPONSE_MALFORMED')).toBe(true);
        }
      } else {
        decodesOrGatewayError(() => command.decodeResponse(raw));
      }
      decodesOrGatewayError(() => command.decodeRequest(raw));
    }), { numRuns: 80 });
  });
});

describe.each(commands.filter((c) => c.command.responseXor).map((c) => [c.command.name, c] as const))('command %s with a response XOR', (_name, { command, responses }) => {
  it('refuses a response whose XOR byte is wrong', () => {
    fc.assert(fc.property(responses, fc.integer({ min: 1, max: 255 }), (response, flip) => {
      const data = command.encodeResponse(response);
      data[data.length - 1] ^= flip;
      try {
        command.decodeResponse(data);
        expect.unreachable();
      } catch (error) {
        expect(isGatewayError(error, 'CARD_XOR_MISMATCH')).toBe(true);
      }
    }), { numRuns: 20 });
  });
});

describe.each(commands.filter((c) => c.command.requestXor).map((c) => [c.command.name, c] as const))('command %s with a request XOR', (_name, { command, requests }) => {
  it('ends its request with the XOR of the bytes before', () => {
    fc.assert(fc.property(requests, (request) => {
      const data = command.encodeRequest(request);
      expect(data.slice(0, -1).reduce((x, b) => x ^ b, 0)).toBe(data.at(-1));
    }), { numRuns: 20 });
  });
});
