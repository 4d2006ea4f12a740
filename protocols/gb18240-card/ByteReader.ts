import { FieldReader, type IsoDate } from '../codec/index.js';
import { cardFields } from './cardFields.js';

/** The codec stack's reader with the card's rules; errors name `layout.field`. */
export class ByteReader extends FieldReader {
  constructor(bytes: Uint8Array, layout: string) {
    super(bytes, cardFields(layout));
  }

  /** A card date is required unless its layout says optional (then `optionalDate`). */
  date(field: string): IsoDate {
    return this.requiredDate(field);
  }
}
