import { FieldWriter, type IsoDate } from '../codec/index.js';
import { cardFields } from './cardFields.js';

/** The codec stack's writer with the card's rules. */
export class ByteWriter extends FieldWriter {
  constructor() {
    super(cardFields());
  }

  /** A card date is required unless its layout says optional (then `optionalDate`). */
  date(date: IsoDate, field: string): this {
    return this.requiredDate(date, field);
  }
}
