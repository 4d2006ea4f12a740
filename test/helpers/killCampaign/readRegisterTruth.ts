import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * What a simulated register and its fiscal card hold, read straight from the simulator's saved state
 * file: never by asking the card (a VERIFY would be the very thing the campaign counts).
 */
export interface RegisterTruth {
  readonly initialized: boolean;
  /** Records of the register's fiscal memory that initialization and GB link 62 changes wrote. */
  readonly initializations: number;
  readonly fiscalCardRegistered: boolean;
  readonly pinTriesLeft: number;
  /** The card's try counter when full (its personalization). */
  readonly pinTries: number;
  /** The register holds the PIN the card expects next (undefined while the register holds none). */
  readonly registerPinMatchesCard: boolean | undefined;
}

const savedState = z.object({
  fiscal: z.object({
    initializations: z.array(z.unknown()),
    pin: z.object({ current: z.string() }).nullable(),
  }),
  cards: z.object({
    fiscal: z.object({
      kind: z.literal('fiscal'),
      personalization: z.object({ pinTries: z.number().int() }),
      state: z.object({ registered: z.boolean(), pin: z.string(), pinTriesLeft: z.number().int() }),
    }),
  }),
});

export function readRegisterTruth(statePath: string): RegisterTruth {
  const parsed = savedState.safeParse(JSON.parse(readFileSync(statePath, 'utf8')));
  if (!parsed.success) throw new Error(`${statePath} is not a saved register with its fiscal card: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const { fiscal, cards } = parsed.data;
  const card = cards.fiscal.state;
  return {
    initialized: fiscal.initializations.length > 0,
    initializations: fiscal.initializations.length,
    fiscalCardRegistered: card.registered,
    pinTriesLeft: card.pinTriesLeft,
    pinTries: cards.fiscal.personalization.pinTries,
    registerPinMatchesCard: fiscal.pin === null ? undefined : fiscal.pin.current.toLowerCase() === card.pin.toLowerCase(),
  };
}
