import { GatewayError, type ErrorCode } from '../../contracts/errors/index.js';

/** ER codes the gateway names (SPEC.md §6). 01–0F and 10–61 are the public firmware's; 70–75 the project's. */
export const ER = {
  NOT_INITIALIZED: 0x10,
  ALREADY_INITIALIZED: 0x1e,
  CRC_ERROR: 0x1f,
  UNKNOWN_COMMAND: 0x20,
  BAD_HEADER: 0x21,
  BAD_LENGTH: 0x22,
  VALUE_OVERFLOW: 0x26,
  NOTHING_TO_DISTRIBUTE: 0x2a,
  POWER_FAILURE: 0x5d,
  FIRMWARE_OFFSET_REFUSED: 0x70,
  FIRMWARE_DIGEST_MISMATCH: 0x71,
  FIRMWARE_REFUSED: 0x72,
  BAUD_UNSUPPORTED: 0x73,
  FIRMWARE_NO_TRANSFER: 0x74,
  FIRMWARE_INFLATE_FAILED: 0x75,
} as const;

const cardFaults = ['POWER_FAILED', 'ABSENT', 'READ_FAILED', 'WRITE_FAILED', 'ILLEGAL'] as const;
const cards = ['FISCAL', 'USER', 'MANAGEMENT'] as const;

const table = new Map<number, ErrorCode>([
  ...cards.flatMap((card, c) => cardFaults.map((fault, f) => [1 + c * 5 + f, `LINK_${card}_CARD_${fault}` as ErrorCode] as const)),
  [0x10, 'LINK_NOT_INITIALIZED'],
  [0x11, 'LINK_ISSUE_DEADLINE_PASSED'],
  [0x12, 'LINK_SINGLE_LIMIT_EXCEEDED'],
  [0x13, 'LINK_TOTAL_LIMIT_EXCEEDED'],
  [0x14, 'LINK_RETURN_LIMIT_EXCEEDED'],
  [0x15, 'LINK_FISCAL_CARD_FOREIGN'],
  [0x16, 'LINK_USER_CARD_MAC_ERROR'],
  [0x17, 'LINK_FISCAL_CARD_MAC_ERROR'],
  [0x18, 'LINK_PIN_CHECK_FAILED'],
  [0x19, 'LINK_ILLEGAL_TAX_ITEM'],
  [0x1a, 'LINK_DECLARATION_DATE_AFTER_TODAY'],
  [0x1b, 'LINK_DECLARATION_DATE_BEFORE_LAST'],
  [0x1c, 'LINK_USER_CARD_LOCKED'],
  [0x1d, 'LINK_FISCAL_CARD_LOCKED'],
  [0x1e, 'LINK_ALREADY_INITIALIZED'],
  [0x1f, 'LINK_CRC_ERROR'],
  [0x20, 'LINK_UNKNOWN_COMMAND'],
  [0x21, 'LINK_BAD_HEADER'],
  [0x22, 'LINK_BAD_LENGTH'],
  [0x23, 'LINK_INVOICES_USED_UP'],
  [0x24, 'LINK_INVOICE_MEMORY_FAULT'],
  [0x25, 'LINK_FISCAL_MEMORY_FAULT'],
  [0x26, 'LINK_VALUE_OVERFLOW'],
  [0x27, 'LINK_FISCAL_CARD_ALREADY_REGISTERED'],
  [0x29, 'LINK_NO_INVOICE_NUMBERS'],
  [0x2a, 'LINK_NOTHING_TO_DISTRIBUTE'],
  [0x40, 'LINK_ISSUE_FAILED'],
  [0x41, 'LINK_NO_TAX_ITEMS'],
  [0x42, 'LINK_DECLARATION_FAILED'],
  [0x4c, 'LINK_FISCAL_CARD_EXPIRED'],
  [0x4d, 'LINK_USER_CARD_EXPIRED'],
  [0x4f, 'LINK_DECLARATION_UNFINISHED'],
  [0x51, 'LINK_SIGNATURE_ERROR'],
  [0x58, 'LINK_DISTRIBUTION_STORE_FULL'],
  [0x59, 'LINK_DAILY_STORE_FULL'],
  [0x5a, 'LINK_USER_CARD_LACKS_FISCAL_CARD'],
  [0x5d, 'LINK_POWER_FAILURE'],
  [0x60, 'LINK_USB_STICK_MISSING'],
  [0x61, 'LINK_USB_STICK_FAULT'],
  [0x70, 'LINK_FIRMWARE_OFFSET_REFUSED'],
  [0x71, 'LINK_FIRMWARE_DIGEST_MISMATCH'],
  [0x72, 'LINK_FIRMWARE_REFUSED'],
  [0x73, 'LINK_BAUD_UNSUPPORTED'],
  [0x74, 'LINK_FIRMWARE_NO_TRANSFER'],
  [0x75, 'LINK_FIRMWARE_INFLATE_FAILED'],
]);

/** Every ER code with a name of its own, for the SPEC.md table test. */
export const knownErrorCodes: ReadonlyMap<number, ErrorCode> = table;

export function errorCodeForEr(code: number): ErrorCode {
  return table.get(code) ?? 'LINK_DEVICE_ERROR';
}

export function hexByte(value: number): string {
  return value.toString(16).padStart(2, '0').toUpperCase();
}

/**
 * ER codes that say the register threw a damaged frame away before acting on it (bad CRC, bad
 * header or impossible LEN, SPEC.md §6): re-sending is safe even for a command that changes state.
 * ER 22 is not one of them: it answers a whole, intact message the register cannot take or answer
 * in the size it has, and the same request would only be refused again.
 */
export function isTransmissionError(code: number): boolean {
  return code === ER.CRC_ERROR || code === ER.BAD_HEADER;
}

/** ER 22 (SPEC.md §6): the message or its answer is too long for the register; never re-sent unchanged, a paged read shrinks its page. */
export function isTooLong(code: number): boolean {
  return code === ER.BAD_LENGTH;
}

/**
 * The GatewayError for an ER answer. `data.erCode` keeps the raw code; `params` fills the
 * placeholders some codes have (command, offset, baud).
 */
export function registerError(code: number, context: { command: number; offset?: number; baud?: number }): GatewayError {
  return new GatewayError(errorCodeForEr(code), {
    params: {
      code: hexByte(code),
      command: hexByte(context.command),
      offset: context.offset ?? 0,
      baud: context.baud ?? 0,
    },
    data: { erCode: code, command: context.command },
  });
}
