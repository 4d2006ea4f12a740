import { GatewayError, type ErrorCode, type ErrorParams } from '../../contracts/errors/index.js';
import { describeStatusWord, statusWarning } from '../apdu/statusWords.js';
import { statusWordHex } from '../apdu/ResponseApdu.js';
import type { CardCommandName } from './CardCommand.js';

/** The ISO commands a session sends besides the GB18240.2 ones. */
export type IsoOperation =
  | 'SELECT_APPLICATION' | 'SELECT_FILE' | 'READ_BINARY' | 'UPDATE_BINARY' | 'READ_RECORD' | 'UPDATE_RECORD'
  | 'GET_CHALLENGE' | 'PIN_TRIES';
export type CardOperation = CardCommandName | IsoOperation;

/**
 * What a failing status word means for each command, as a stable error code (whose zh-CN and en
 * text and remedy are in contracts/errors/card.ts). A command's own table wins over the generic
 * one; an ISO warning (62xx, 63xx) in neither is CARD_WARNING_STATUS (where a caller does not take
 * its data, see CardSession), any other status word in neither is CARD_UNKNOWN_STATUS. 61xx/6Cxx never get here: transceive
 * handles them.
 */
export type StatusTable = Readonly<Record<number, ErrorCode>>;

const genericTable: StatusTable = {
  0x6581: 'CARD_MEMORY_FAULT',
  0x6700: 'CARD_WRONG_LENGTH',
  0x6901: 'CARD_STATE_NOT_ALLOWED',
  0x6982: 'CARD_SECURITY_NOT_SATISFIED',
  0x6983: 'CARD_AUTH_LOCKED',
  0x6985: 'CARD_CONDITIONS_NOT_SATISFIED',
  0x6a80: 'CARD_WRONG_DATA',
  0x6a81: 'CARD_FUNCTION_NOT_SUPPORTED',
  0x6a82: 'CARD_FILE_NOT_FOUND',
  0x6a83: 'CARD_RECORD_NOT_FOUND',
  0x6a84: 'CARD_STORE_FULL',
  0x6a86: 'CARD_WRONG_PARAMETERS',
  0x6a88: 'CARD_KEY_NOT_FOUND',
  0x6b00: 'CARD_WRONG_PARAMETERS',
  0x6d00: 'CARD_WRONG_PARAMETERS',
  0x6e00: 'CARD_WRONG_PARAMETERS',
  0x6f00: 'CARD_COMMAND_FAILED',
  0x9302: 'CARD_MAC_MISMATCH',
  0x9303: 'CARD_APP_LOCKED',
  0x9403: 'CARD_KEY_VERSION',
};

const fiscalRegistered: StatusTable = { 0x6901: 'CARD_NOT_REGISTERED' };
/** The fiscal commands that need a verified PIN answer 6983 once the PIN is locked (SPEC.md §6). */
const pinGated: StatusTable = { ...fiscalRegistered, 0x6983: 'CARD_PIN_LOCKED' };
/** A fiscal or user command sent to another kind of card is refused with an unknown INS or CLA. */
const wrongCard: StatusTable = { 0x6d00: 'CARD_WRONG_TYPE', 0x6e00: 'CARD_WRONG_TYPE', 0x6a82: 'CARD_WRONG_TYPE' };

export const statusTables: Readonly<Record<CardOperation, StatusTable>> = {
  GET_REGISTER_NB: { ...wrongCard, 0x6901: 'CARD_ALREADY_REGISTERED' },
  TERMINAL_REGISTER: { ...wrongCard, 0x6901: 'CARD_ALREADY_REGISTERED', 0x9302: 'CARD_MAC_MISMATCH' },
  ISSUE_INVOICE: { ...wrongCard, ...pinGated, 0x9401: 'CARD_LIMIT_EXCEEDED', 0x6985: 'CARD_ISSUE_NOT_ALLOWED' },
  DECLARE_DUTY: { ...wrongCard, ...pinGated },
  UPDATE_CONTROLS: { ...wrongCard, ...pinGated, 0x9302: 'CARD_MAC_MISMATCH' },
  INPUT_INVOICE_NB: { ...wrongCard, ...pinGated, 0x9302: 'CARD_MAC_MISMATCH' },
  VERIFY_FISCAL_PIN: { ...wrongCard, ...pinGated },
  DAILY_COLLECT_SIGN: { ...wrongCard, ...pinGated },
  REGISTER_SIGN: { ...wrongCard, 0x6a80: 'CARD_USER_LACKS_FISCAL_CARD', 0x9302: 'CARD_MAC_MISMATCH' },
  DATA_COLLECT: { ...wrongCard, 0x6a80: 'CARD_USER_LACKS_FISCAL_CARD', 0x9302: 'CARD_MAC_MISMATCH' },
  DISTRIBUTE_INVOICE_NB: { ...wrongCard, 0x9401: 'CARD_NO_ROLL_TO_DISTRIBUTE' },
  SELECT_APPLICATION: { 0x6a82: 'CARD_WRONG_TYPE', 0x6d00: 'CARD_WRONG_TYPE', 0x6e00: 'CARD_WRONG_TYPE' },
  SELECT_FILE: {},
  READ_BINARY: {},
  UPDATE_BINARY: {},
  READ_RECORD: {},
  UPDATE_RECORD: {},
  GET_CHALLENGE: {},
  PIN_TRIES: { 0x6983: 'CARD_PIN_LOCKED' },
};

/** Context that fills the placeholders of some codes. */
export interface StatusContext {
  /** The file being read, for CARD_FILE_NOT_FOUND (`EF02`). */
  readonly file?: string;
  /** The card kind the command needs, for CARD_WRONG_TYPE. */
  readonly expected?: string;
}

/** The error code for a failing status word of one operation. */
export function statusErrorCode(operation: CardOperation, sw: number): ErrorCode {
  if ((sw & 0xfff0) === 0x63c0) return 'CARD_PIN_WRONG';
  // ISO 7816-4 warnings (62xx, 63xx) are known status words: typed, never CARD_UNKNOWN_STATUS.
  const warning = statusWarning(sw) === undefined ? undefined : 'CARD_WARNING_STATUS';
  return statusTables[operation][sw] ?? genericTable[sw] ?? warning ?? 'CARD_UNKNOWN_STATUS';
}

/** The GatewayError for a failing status word of one operation; data carries the command, SW and tries left. */
export function cardStatusError(operation: CardOperation, sw: number, context: StatusContext = {}): GatewayError {
  const code = statusErrorCode(operation, sw);
  const hex = statusWordHex(sw);
  const params: ErrorParams = {
    command: operation,
    sw: hex,
    file: context.file ?? 'the file',
    expected: context.expected ?? 'GB18240 card',
  };
  const data: Record<string, unknown> = { command: operation, sw: hex, meaning: describeStatusWord(sw).en };
  if (code === 'CARD_PIN_WRONG') {
    params.triesLeft = sw & 0x0f;
    data.triesLeft = sw & 0x0f;
  }
  return new GatewayError(code, { params, data });
}
