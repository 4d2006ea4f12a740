/**
 * GB-link command codes. 00–64 are the public fiscal-processor firmware's (DESIGN.md);
 * 70 and up are this project's extensions (SPEC.md §5.9).
 */
export const CMD = {
  CONNECT: 0x00,
  INITIALIZE: 0x30,
  DISTRIBUTE_INVOICE_NUMBERS: 0x31,
  DISTRIBUTED_ROLLS: 0x32,
  FACTORY_DATA: 0x37,
  USER_INFO: 0x38,
  TAX_ITEMS: 0x39,
  DATE_TIME: 0x3a,
  SET_TIME: 0x3b,
  ROLL_SUMMARIES: 0x3c,
  DECLARATIONS: 0x3e,
  INVOICES_BY_INDEX: 0x3f,
  CONTROL_WRITE_BACK: 0x40,
  STATUS: 0x41,
  INVOICES_BY_NUMBER: 0x42,
  INVOICES_BY_TIME: 0x43,
  DAILY_RECORDS: 0x44,
  INPUT_INVOICE_NUMBERS: 0x50,
  CARD_POWER_ON: 0x59,
  CARD_POWER_OFF: 0x5a,
  CARD_APDU: 0x5b,
  SELF_CHECK_CPU: 0x5c,
  SELF_CHECK_ROM: 0x5d,
  SELF_CHECK_RAM: 0x5e,
  SELF_CHECK_MEMORY: 0x5f,
  SELF_CHECK_SERIAL: 0x60,
  SELF_CHECK_CYCLE: 0x61,
  UPDATE_TAXPAYER: 0x62,
  CHANGE_TIME: 0x63,
  FIRMWARE: 0x64,
  CAPABILITIES: 0x70,
  SWITCH_BAUD: 0x71,
  RECORD_COUNTS: 0x72,
  INITIALIZATION_HISTORY: 0x73,
  /** Windowed bulk transfer (SPEC.md §10): wraps another command; listed in 70 when the register takes it. */
  WINDOWED_TRANSFER: 0x74,
  /** A 64/02 firmware block sent deflated (SPEC.md §5.9); listed in 70 when the register inflates. */
  FIRMWARE_WRITE_COMPRESSED: 0x75,
} as const;

export type CommandCode = (typeof CMD)[keyof typeof CMD];

/**
 * What a register must answer, with the layouts of SPEC.md §5, to be served at all (SPEC.md §5.0):
 * 00 connect, 37 factory data, 38 user info (ER 10 before initialization), 3A date-time, 41 status.
 */
export const MINIMUM_COMMANDS: readonly number[] = [CMD.CONNECT, CMD.FACTORY_DATA, CMD.USER_INFO, CMD.DATE_TIME, CMD.STATUS];

/**
 * Commands the host sends only when 70 lists them (SPEC.md §5.9): every extension from 71 up, and
 * 3C, a public code whose layout is this project's.
 */
export function offeredOnlyWhenListed(code: number): boolean {
  return code > CMD.CAPABILITIES || code === CMD.ROLL_SUMMARIES;
}
