import type { Bilingual } from './Check.js';

/**
 * One read diagnostics made of the register or a card: its value, the error it failed with (code and
 * words), or why it was not made at all (the link is dead, the register is in its bootloader…).
 */
export type Reading<T> =
  | { readonly state: 'ok'; readonly value: T }
  | { readonly state: 'failed'; readonly code: string; readonly message: Bilingual }
  | { readonly state: 'skipped'; readonly reason: Bilingual };

export const skipped = (reason: Bilingual): Reading<never> => ({ state: 'skipped', reason });
