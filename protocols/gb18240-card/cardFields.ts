import type { FieldDialect, FieldRules } from '../codec/index.js';
import { invalidValue, malformedResponse } from './fieldErrors.js';

/**
 * The card layer's field rules (GB18240.md): short BCD numbers are right-aligned with leading
 * zeros; FF, the erased value of EEPROM, ends text and blanks a date as 00 does.
 */
export const cardFieldRules: FieldRules = {
  bcdShortValue: 'pad-with-leading-zeros',
  blankDateFills: [0x00, 0xff],
  textEndsAt: [0x00, 0xff],
  textAfterEnd: 'ignored',
};

/** Card fields report CARD_VALUE_INVALID / CARD_RESPONSE_MALFORMED, naming `layout.field` when reading a layout. */
export function cardFields(layout?: string): FieldDialect {
  const name = (field: string): string => [layout, field].filter((part) => part !== undefined && part !== '').join('.');
  return {
    ...cardFieldRules,
    invalid: (field, detail) => invalidValue(field, detail),
    malformed: (field, detail) => malformedResponse(name(field) === '' ? detail : `${name(field)}: ${detail}`),
  };
}
