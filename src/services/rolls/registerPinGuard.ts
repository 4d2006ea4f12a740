import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { CardSession } from '../../devices/CardSession.js';

export interface PinGuardOptions {
  /** Let the register's PIN check run on the card's last try. */
  readonly allowLastPinTry: boolean;
  readonly lastTryCode: 'ROLL_PIN_LAST_TRY' | 'CHANGE_PIN_LAST_TRY';
}

/**
 * Before a GB-link command that makes the register verify the fiscal PIN it holds (50, 40): asks the
 * fiscal card in the register's slot how many tries are left, spending none (VERIFY without data,
 * gb18240-card SPEC.md §2.3), and refuses on a locked card or on the last try unless allowed.
 * The gateway itself never sends a PIN in these flows: only the register knows it.
 */
export async function guardRegisterPinCheck(fiscal: CardSession, options: PinGuardOptions): Promise<number | undefined> {
  const tries = await fiscal.pinTriesLeft();
  if (tries === 0) throw new GatewayError('CARD_PIN_LOCKED', { data: { triesLeft: 0 } });
  if (tries === 1 && !options.allowLastPinTry) {
    throw new GatewayError(options.lastTryCode, { params: { triesLeft: 1 }, data: { triesLeft: 1 } });
  }
  return tries;
}

/** After the register reported a failed PIN check (ER 18): the tries left, asked without spending one; never a retry. */
export async function triesLeftAfterRefusal(fiscal: CardSession): Promise<number | undefined> {
  try {
    return await fiscal.pinTriesLeft();
  } catch (error) {
    if (isGatewayError(error)) return undefined;
    throw error;
  }
}
