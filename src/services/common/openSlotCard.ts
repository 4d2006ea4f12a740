import type { CardSlot } from '../../../protocols/gb-link/index.js';
import { CardSession, type CardSessionOptions } from '../../devices/CardSession.js';
import type { RegisterSession } from '../../devices/RegisterSession.js';

/**
 * A CardSession on the card in one of the register's slots, powered on first (59; a warm reset when
 * already powered): a slot card must be powered before the register passes APDUs to it (5B).
 */
export async function openSlotCard(register: Pick<RegisterSession, 'cardChannel'>, slot: CardSlot, options?: CardSessionOptions): Promise<CardSession> {
  const channel = register.cardChannel(slot);
  await channel.reset();
  return new CardSession(channel, options);
}
