import type { CommandApdu } from '../apdu/CommandApdu.js';
import { statusWordHex } from '../apdu/ResponseApdu.js';

/**
 * The fiscal PIN's tries left, learned only where no try can be spent (SPEC.md §2.3): the answer to
 * the ISO 7816-4 VERIFY query, or the 63Cx of a real verification with a PIN the gateway holds.
 * Never guessed: whatever else a card answers leaves the tries unknown, with the reason.
 */
export type PinTries =
  | { readonly known: true; readonly left: number; readonly source: PinTriesSource }
  | { readonly known: false; readonly reason: PinTriesUnknownReason; readonly sw?: string };

/** `query`: 63Cx (or 6983) to VERIFY without data; `verification`: the answer to a real VERIFY_FISCAL_PIN. */
export type PinTriesSource = 'query' | 'verification';

/**
 * - `not-told`: the card answered the query with something other than 63Cx / 9000 / 6983 (6D00, 6E00, 6A86, 6A88…);
 * - `verified`: 9000, the PIN is verified in this card session and the card gives no count;
 * - `not-registered`: 6901, the card holds no PIN yet;
 * - `not-asked`: the gateway did not ask (the registration state is not certain, or the card is not a fiscal card).
 */
export type PinTriesUnknownReason = 'not-told' | 'verified' | 'not-registered' | 'not-asked';
export const pinTriesUnknownReasons = ['not-told', 'verified', 'not-registered', 'not-asked'] as const satisfies readonly PinTriesUnknownReason[];

/**
 * VERIFY's P2 for the fiscal PIN: `00`, "no information given" (ISO 7816-4 §11.5.6, table 65): the
 * card uses the reference data implied by the selected application, and TSAM01 holds one PIN, the
 * fiscal PIN. GB18240.md names no `pinid`; a guessed number (`01`, `81`) could name another
 * reference (a transport PIN, an issuer key) and report its counter as the fiscal PIN's.
 */
export const FISCAL_PIN_REFERENCE = 0x00;

/**
 * `00 20 00 00`, case 1: VERIFY with the data field absent. ISO 7816-4 §11.5.6 defines this form as
 * retrieving the verification status (63Cx: X further tries allowed; 9000: no verification needed
 * now); with no verification data there is nothing to compare, so nothing can be counted as wrong.
 * Sent only after SELECT of the fiscal application.
 */
export function pinTriesQuery(): CommandApdu {
  return { cla: 0x00, ins: 0x20, p1: 0x00, p2: FISCAL_PIN_REFERENCE, data: new Uint8Array(0) };
}

export const unknownPinTries = (reason: PinTriesUnknownReason, sw?: number): PinTries =>
  (sw === undefined ? { known: false, reason } : { known: false, reason, sw: statusWordHex(sw) });

/** What the answer to `pinTriesQuery` says. Pure; never throws. */
export function pinTriesFromQuery(sw: number): PinTries {
  if ((sw & 0xfff0) === 0x63c0) return { known: true, left: sw & 0x0f, source: 'query' };
  // 6983 to VERIFY is "authentication method blocked": the PIN is locked, no try is left.
  if (sw === 0x6983) return { known: true, left: 0, source: 'query' };
  if (sw === 0x9000) return unknownPinTries('verified', sw);
  if (sw === 0x6901) return unknownPinTries('not-registered', sw);
  return unknownPinTries('not-told', sw);
}

/** The tries as a number for a field that holds `number | null`; null when unknown. */
export function pinTriesLeftOrNull(tries: PinTries): number | null {
  return tries.known ? tries.left : null;
}
