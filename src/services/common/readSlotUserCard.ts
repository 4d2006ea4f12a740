import type { CardChannel } from '../../../contracts/CardChannel.js';
import { isGatewayError, type GatewayError } from '../../../contracts/errors/index.js';
import type { InvoiceRoll } from '../../../protocols/gb18240-card/blocks.js';
import type {
  PurchasedRolls, UserBasicData, UserControlRecord, UserDeclarationRecord, UserMachineRecord,
} from '../../../protocols/gb18240-card/userFiles.js';
import { CardSession, type CardSessionOptions, type IdentifiedCard } from '../../devices/CardSession.js';
import { isLinkFailure } from './linkFailure.js';

/** Everything the change, roll and deregistration flows read of a user card (用户卡), changing nothing. */
export interface UserCardContent {
  readonly basic: UserBasicData;
  readonly controls: readonly UserControlRecord[];
  readonly declarations: readonly UserDeclarationRecord[];
  readonly purchasedRolls: readonly PurchasedRolls[];
  readonly machines: readonly UserMachineRecord[];
  /** EF07: the last roll the card handed out, null before the first. */
  readonly lastDistributed: InvoiceRoll | null;
}

export type SlotUserCard =
  | { readonly where: string; readonly found: 'user'; readonly content: UserCardContent }
  | { readonly where: string; readonly found: Exclude<IdentifiedCard, 'user'> }
  | { readonly where: string; readonly found: 'unreadable'; readonly error: GatewayError };

/**
 * Resets, identifies and reads the card on `channel` (the register's user slot through 59/5B, or a
 * reader). A link failure is thrown (nothing can be decided without the register); a card that is
 * absent or answers with an error is reported, for the flow to refuse in plain words.
 */
export async function readSlotUserCard(channel: CardChannel, options?: CardSessionOptions): Promise<SlotUserCard> {
  const where = channel.description.reader;
  try {
    await channel.reset();
    const session = new CardSession(channel, options);
    const found = await session.identify();
    if (found !== 'user') return { where, found };
    return {
      where, found,
      content: {
        basic: await session.readUserBasic(),
        controls: await session.readUserControls(),
        declarations: await session.readUserDeclarations(),
        purchasedRolls: await session.readUserPurchasedRolls(),
        machines: await session.readUserMachines(),
        lastDistributed: await session.readUserLastDistributedRoll(),
      },
    };
  } catch (error) {
    if (isLinkFailure(error) || !isGatewayError(error)) throw error;
    return { where, found: 'unreadable', error };
  }
}

/** Why a slot card cannot serve as this taxpayer's user card for this register, in plain words; undefined when it can. */
export function userCardProblem(
  card: SlotUserCard, expected: { readonly taxpayerNumber: string; readonly machineNumber: string; readonly fiscalCardNumber: string },
): string | undefined {
  if (card.found === 'unreadable') return `it cannot be read (${card.error.code}: ${card.error.message})`;
  if (card.found !== 'user') return card.found === 'unknown' ? 'no user card answers in the slot' : `it is a ${card.found} card`;
  const { basic, machines } = card.content;
  if (basic.taxpayerNumber !== expected.taxpayerNumber) {
    return `it belongs to taxpayer ${basic.taxpayerNumber}, the register to ${expected.taxpayerNumber}`;
  }
  if (!machines.some((m) => m.machineNumber === expected.machineNumber && m.fiscalCardNumber === expected.fiscalCardNumber)) {
    return `it does not list machine ${expected.machineNumber} with fiscal card ${expected.fiscalCardNumber}`;
  }
  return undefined;
}
