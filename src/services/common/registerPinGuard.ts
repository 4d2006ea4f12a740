import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { CardSession } from '../../devices/CardSession.js';
import { pinTriesLeftOrNull } from '../../../protocols/gb18240-card/pinTries.js';

export interface PinGuardOptions {
  /** Let the register's PIN check run on the card's last try. */
  readonly allowLastPinTry: boolean;
  readonly lastTryCode: 'ROLL_PIN_LAST_TRY' | 'CHANGE_PIN_LAST_TRY';
}

/**
 * Before a GB-link command that makes the register verify the fiscal PIN it holds (50, 40): asks the
 * fiscal card in the register's slot how many tries are left, spending none (ISO VERIFY without data,
 * gb18240-card SPEC.md §2.3), and refuses on a locked card or on the last try unless allowed. A card
 * that does not tell its tries is refused too unless allowed (CARD_PIN_TRIES_UNKNOWN): the register's
 * check is needed anyway, but any try might be the last, so the last-try guard needs the operator's word.
 * A card whose registration is uncertain (gb18240-card SPEC.md §3.2) is refused (CARD_REGISTRATION_UNCERTAIN),
 * one the card shows unregistered too (CARD_NOT_REGISTERED), before any PIN check.
 * The gateway itself never sends a PIN in these flows: only the register knows it.
 */
export async function guardRegisterPinCheck(fiscal: CardSession, options: PinGuardOptions): Promise<number | undefined> {
  const registration = await fiscal.readFiscalRegistration();
  if (registration.state === 'uncertain') {
    throw new GatewayError('CARD_REGISTRATION_UNCERTAIN', { data: { flag: registration.flag, signs: registration.signs, because: registration.uncertainBecause } });
  }
  if (registration.state === 'not-registered') throw new GatewayError('CARD_NOT_REGISTERED', { data: { flag: registration.flag, signs: registration.signs } });
  const tries = registration.pinTries;
  if (tries.known && tries.left === 0) throw new GatewayError('CARD_PIN_LOCKED', { data: { triesLeft: 0 } });
  if (!tries.known) {
    if (!options.allowLastPinTry) throw new GatewayError('CARD_PIN_TRIES_UNKNOWN', { data: { reason: tries.reason, ...(tries.sw === undefined ? {} : { sw: tries.sw }) } });
    return undefined;
  }
  if (tries.left === 1 && !options.allowLastPinTry) {
    throw new GatewayError(options.lastTryCode, { params: { triesLeft: 1 }, data: { triesLeft: 1 } });
  }
  return tries.left;
}

/** After the register reported a failed PIN check (ER 18): the tries left, asked without spending one; never a retry. Undefined when the card does not tell. */
export async function triesLeftAfterRefusal(fiscal: CardSession): Promise<number | undefined> {
  try {
    return pinTriesLeftOrNull(await fiscal.pinTriesLeft()) ?? undefined;
  } catch (error) {
    if (isGatewayError(error)) return undefined;
    throw error;
  }
}
