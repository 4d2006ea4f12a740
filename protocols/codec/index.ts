export * from './bcd.js';
export * from './calendar.js';
export type { FieldDialect, FieldErrors, FieldRules } from './FieldDialect.js';
export { FieldReader } from './FieldReader.js';
export { FieldWriter } from './FieldWriter.js';
export * from './rawFraming.js';
export * from './text.js';
