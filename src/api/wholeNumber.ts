import { z } from 'zod';

/**
 * How a whole number is written in a path or a query: decimal digits only, at most 15 (a safe integer), and no
 * leading zero but for 0 itself. `Number()` (z.coerce) would also read `0x10`, `1e3`, ` 16`, `+16`, `16.0`,
 * `0b1` and even the empty string (as 0); `016` is refused too, since some clients read it as octal. Each is
 * 400 VALIDATION_FAILED rather than a number the client did not mean.
 */
export const WHOLE_NUMBER_PATTERN = /^(0|[1-9][0-9]{0,14})$/;

/** A path or query parameter that is a whole number within [min, max], written as WHOLE_NUMBER_PATTERN says. */
export function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return z.string()
    .regex(WHOLE_NUMBER_PATTERN, { message: 'expected a whole number in decimal digits (no sign, spaces, leading zero, exponent, fraction or hex)' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}
