import { GatewayError } from '../../contracts/errors/index.js';
import { FieldReader, FieldWriter, isIsoDate, isIsoDateTime, type FieldDialect, type FieldRules, type IsoDate, type IsoDateTime } from '../codec/index.js';

/**
 * Field encodings of every GB-link payload (SPEC.md §4.1): the codec stack of protocols/codec,
 * with the link's rules where they differ from the card's (linkFieldRules).
 */

/** A calendar date as `YYYY-MM-DD`; `null` on the wire is 00000000 (no date). */
export type LinkDate = IsoDate;
/** A register-local date-time as `YYYY-MM-DDTHH:mm:ss` (its zone: the register time zone setting, SPEC §4.1). */
export type LinkDateTime = IsoDateTime;

export const isLinkDate = isIsoDate;
export const isLinkDateTime = isIsoDateTime;

export function payloadError(command: number, detail: string): GatewayError {
  return new GatewayError('LINK_PAYLOAD_INVALID', { params: { command: command.toString(16).padStart(2, '0').toUpperCase(), detail } });
}

/**
 * The link's field rules (SPEC.md §4.1): a BCD field holds exactly its digits (no silent
 * padding), only 00000000 is no date, and text is padded with 00 and nothing else.
 */
export const linkFieldRules: FieldRules = {
  bcdShortValue: 'refuse',
  blankDateFills: [0x00],
  textEndsAt: [0x00],
  textAfterEnd: 'must-be-padding',
};

/** Every bad field is LINK_PAYLOAD_INVALID naming the command. */
export function linkFields(command: number): FieldDialect {
  const error = (field: string, detail: string): GatewayError => payloadError(command, field === '' ? detail : `${field} ${detail}`);
  return { ...linkFieldRules, invalid: error, malformed: error };
}

export class ByteWriter extends FieldWriter {
  constructor(command: number) {
    super(linkFields(command));
  }

  /** A link date may be null where its field says nullable (00000000). */
  date(value: LinkDate | null, what = 'date'): this {
    return this.optionalDate(value, what);
  }

  finish(): Uint8Array {
    return this.toBytes();
  }
}

export class ByteReader extends FieldReader {
  constructor(bytes: Uint8Array, command: number) {
    super(bytes, linkFields(command));
  }

  /** A link date may be null (00000000); `requiredDate` where the field is not nullable. */
  date(what = 'date'): LinkDate | null {
    return this.optionalDate(what);
  }
}
