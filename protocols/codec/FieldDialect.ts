/**
 * The rules one protocol layer applies to its fields. The codec stack (FieldReader, FieldWriter,
 * bcd, text) is one implementation; the card layer (GB18240.2) and the GB link (SPEC.md §4.1)
 * differ only where their specifications truly differ, and each difference is a named option here.
 */
export interface FieldRules {
  /**
   * How a BCD number shorter than its field is written. The card pads with leading zeros
   * (card numbers, invoice codes are stored right-aligned); the link refuses anything but
   * exactly `2 × size` digits, so a short value is a caller error, not a silent pad.
   */
  readonly bcdShortValue: 'pad-with-leading-zeros' | 'refuse';
  /**
   * The byte patterns that mean "no date" in a nullable date field. The card also takes
   * FFFFFFFF, the erased value of its EEPROM; the link knows only 00000000. Written as 00000000.
   */
  readonly blankDateFills: readonly number[];
  /**
   * Where padded text ends when read. The card stops at the first 00 or FF (erased EEPROM) and
   * ignores what follows; the link stops at the first 00 and insists the rest is 00 too.
   */
  readonly textEndsAt: readonly number[];
  readonly textAfterEnd: 'ignored' | 'must-be-padding';
}

/** How a layer reports a bad field: a value the host was about to write, or bytes that do not fit; `field` '' is the whole payload. */
export interface FieldErrors {
  invalid(field: string, detail: string): Error;
  malformed(field: string, detail: string): Error;
}

export type FieldDialect = FieldRules & FieldErrors;
