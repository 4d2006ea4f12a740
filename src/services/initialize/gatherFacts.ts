import type { CardChannel } from '../../../contracts/CardChannel.js';
import { isLinkFailure } from '../common/linkFailure.js';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { CardSession, type CardSessionOptions } from '../../devices/CardSession.js';
import type { CardFacts, FiscalCardFacts, InitializationFacts, UserCardFacts } from './InitializationFacts.js';
import type { PendingInitializations } from './PendingInitializations.js';
import type { InitializationTarget } from './RegisterPort.js';
import { epochOfLocal, localDateTime } from './registerTime.js';

export interface GatherOptions {
  readonly pending: PendingInitializations;
  readonly now?: () => number;
  readonly utcOffsetMinutes: number;
  readonly card?: CardSessionOptions;
}

async function readCardFacts<T>(
  channel: CardChannel, options: CardSessionOptions | undefined, read: (session: CardSession) => Promise<T>, expected: 'fiscal' | 'user',
): Promise<CardFacts<T>> {
  const where = channel.description.reader;
  try {
    await channel.reset();
    const session = new CardSession(channel, options);
    const kind = await session.identify();
    if (kind !== expected) return { where, read: true, kind };
    return { where, read: true, kind, data: await read(session) };
  } catch (error) {
    if (isLinkFailure(error) || !isGatewayError(error)) throw error;
    return { where, read: false, error };
  }
}

export function readFiscalFacts(channel: CardChannel, options?: CardSessionOptions): Promise<CardFacts<FiscalCardFacts>> {
  return readCardFacts(channel, options, async (session) => {
    const basic = await session.readFiscalBasic();
    const monitoring = await session.readFiscalMonitoring();
    const registration = await session.readFiscalRegistration(basic);
    return { basic, monitoring, registration, ...(registration.state === 'registered' ? { pinTries: registration.pinTries } : {}) };
  }, 'fiscal');
}

export function readUserFacts(channel: CardChannel, options?: CardSessionOptions): Promise<CardFacts<UserCardFacts>> {
  return readCardFacts(channel, options, async (session) => ({
    basic: await session.readUserBasic(),
    taxItems: await session.readUserTaxItems(),
    controls: await session.readUserControls(),
    machines: await session.readUserMachines(),
  }), 'user');
}

/**
 * Reads everything the initialization checks look at, and changes nothing: each card is reset,
 * identified and read (the fiscal card's PIN tries are asked without spending one); the register
 * answers 37, 41, 3A and, when initialized, 38.
 */
export async function gatherFacts(target: InitializationTarget, options: GatherOptions): Promise<InitializationFacts> {
  const now = options.now ?? Date.now;
  const factory = await target.register.factoryData();
  const status = await target.register.status();
  const userInfo = status.initialized ? await target.register.userInfo() : undefined;
  const fiscal = await readFiscalFacts(target.cards.fiscal, options.card);
  const user = await readUserFacts(target.cards.user, options.card);
  const hostMs = now();
  const registerTime = await target.register.dateTime();
  const hostTime = localDateTime(hostMs, options.utcOffsetMinutes);
  // Both sides to the whole second, as the register's clock reads.
  const clockOffsetSeconds = Math.round((epochOfLocal(registerTime, options.utcOffsetMinutes) - epochOfLocal(hostTime, options.utcOffsetMinutes)) / 1000);
  const pending = fiscal.read && fiscal.data !== undefined ? await options.pending.get(fiscal.data.basic.cardNumber) : undefined;
  return {
    deviceId: target.deviceId,
    fiscal, user, factory, status,
    ...(userInfo === undefined ? {} : { userInfo }),
    registerTime, hostTime, clockOffsetSeconds,
    today: hostTime.slice(0, 10),
    ...(pending === undefined ? {} : { pending }),
  };
}
