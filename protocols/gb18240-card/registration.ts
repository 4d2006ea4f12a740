import type { FiscalAccumulation } from './fiscalFiles.js';
import type { PinTries } from './pinTries.js';

/**
 * Whether a fiscal card is registered, decided on what the card says and does, never on the EF02
 * flag byte alone (SPEC.md §3.2): public code disagrees on which flag value means "registered".
 */
export type RegistrationState = 'registered' | 'not-registered' | 'uncertain';

/** The two public readings of the EF02 registration flag. */
export type RegistrationFlagReading = 'registered-is-01' | 'registered-is-00';

/** What the card showed besides the flag byte. */
export type RegistrationSign =
  /** The ISO VERIFY query answered 63Cx, 6983 or 9000: the card holds a PIN, which it gets at registration. */
  | 'holds-pin'
  /** The ISO VERIFY query answered 6901: the card has no PIN yet. */
  | 'holds-no-pin'
  /** EF05 holds a roll: only INPUT_INVOICE_NB writes one, after a verified PIN. */
  | 'rolls-mounted'
  /** EF04 holds a declaration: only DECLARE_DUTY writes one, after a verified PIN. */
  | 'declarations-made'
  /** EF03 counts an invoice or holds a signed day or declared period: written only after a verified PIN. */
  | 'invoices-or-signatures';

export interface RegistrationEvidence {
  /** EF02 byte 1. */
  readonly flag: number;
  /** The answer to the ISO VERIFY query (never F9). */
  readonly pinTries: PinTries;
  /** EF05 records; undefined when the file could not be read. */
  readonly mountedRolls?: number;
  /** EF04 records; undefined when the file could not be read. */
  readonly declarations?: number;
  /** EF03; undefined when the file could not be read. */
  readonly accumulation?: FiscalAccumulation;
}

export interface RegistrationAssessment {
  readonly state: RegistrationState;
  readonly flag: number;
  /** The reading the flag follows on this card, once the state is certain; null while uncertain. */
  readonly flagReading: RegistrationFlagReading | null;
  readonly signs: readonly RegistrationSign[];
  /** Why the state is uncertain. */
  readonly uncertainBecause?: 'no-sign' | 'signs-disagree' | 'flag-fits-no-reading';
}

const FLAG_00 = 0x00;
const FLAG_01 = 0x01;

function signsOf(evidence: RegistrationEvidence): RegistrationSign[] {
  const signs: RegistrationSign[] = [];
  const tries = evidence.pinTries;
  if (tries.known || tries.reason === 'verified') signs.push('holds-pin');
  if (!tries.known && tries.reason === 'not-registered') signs.push('holds-no-pin');
  if ((evidence.mountedRolls ?? 0) > 0) signs.push('rolls-mounted');
  if ((evidence.declarations ?? 0) > 0) signs.push('declarations-made');
  const a = evidence.accumulation;
  if (a !== undefined && (a.validCount + a.returnCount + a.voidCount > 0 || a.lastIssueDate !== null || a.lastSignedDate !== null || a.lastDeclaredEnd !== null)) {
    signs.push('invoices-or-signatures');
  }
  return signs;
}

/**
 * The registration state from the card's signs. The flag byte decides nothing: both public readings
 * give each of `00` and `01` a meaning, so a flag of `00` or `01` fits any state and only says which
 * reading the card follows; any other byte fits neither and leaves the state uncertain. A card that
 * shows no sign either way, or signs both ways, is uncertain too.
 */
export function assessRegistration(evidence: RegistrationEvidence): RegistrationAssessment {
  const signs = signsOf(evidence);
  const flag = evidence.flag;
  const uncertain = (uncertainBecause: NonNullable<RegistrationAssessment['uncertainBecause']>): RegistrationAssessment =>
    ({ state: 'uncertain', flag, flagReading: null, signs, uncertainBecause });
  if (flag !== FLAG_00 && flag !== FLAG_01) return uncertain('flag-fits-no-reading');
  const saysRegistered = signs.some((s) => s !== 'holds-no-pin');
  const saysBlank = signs.includes('holds-no-pin');
  if (saysRegistered && saysBlank) return uncertain('signs-disagree');
  if (!saysRegistered && !saysBlank) return uncertain('no-sign');
  const state: RegistrationState = saysRegistered ? 'registered' : 'not-registered';
  const flagReading: RegistrationFlagReading = (flag === FLAG_01) === saysRegistered ? 'registered-is-01' : 'registered-is-00';
  return { state, flag, flagReading, signs };
}

/** The state as a yes/no for fields that hold one; null while uncertain (never turned into a guess). */
export function registeredOrNull(state: RegistrationState): boolean | null {
  return state === 'uncertain' ? null : state === 'registered';
}
