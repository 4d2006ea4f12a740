import type { CardChannel } from '../../../contracts/CardChannel.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { createMatchingCardSet, VirtualCardChannel, type CardSetOptions } from '../../../fixtures/cards/index.js';
import { CardSession } from '../../../src/devices/CardSession.js';

/** A matching card set, each card in its own in-memory reader with a session on it. */
export function cardSessions(options: CardSetOptions = {}) {
  const set = createMatchingCardSet(options);
  const fiscalChannel = new VirtualCardChannel(set.fiscal, 'fiscal-slot');
  const userChannel = new VirtualCardChannel(set.user, 'user-slot');
  return { set, fiscalChannel, userChannel, fiscal: new CardSession(fiscalChannel), user: new CardSession(userChannel) };
}

/** Registers the fiscal card through both sessions and answers the PIN it gave. */
export async function register(s: ReturnType<typeof cardSessions>): Promise<Uint8Array> {
  const challenge = await s.fiscal.getRegisterNb();
  return s.fiscal.terminalRegister(await s.user.registerSign(challenge));
}

/** A channel that lets a test rewrite the card's answers. */
export function tampered(inner: CardChannel, rewrite: (command: Uint8Array, response: Uint8Array) => Uint8Array): CardChannel {
  return {
    description: inner.description,
    async transmit(apdu) {
      return rewrite(apdu, await inner.transmit(apdu));
    },
    reset: () => inner.reset(),
  };
}

export async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
export const swOf = (response: Uint8Array) => hex(response.slice(-2));
