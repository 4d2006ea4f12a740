import { z } from 'zod';

/** `POST /v1/devices/{id}/rolls`: one roll from the user card in the register's slot onto its fiscal card. */
export const rollRequestSchema = z.strictObject({
  /** Let the register's PIN check run on the fiscal card's last try (refused otherwise). */
  allowLastPinTry: z.boolean().default(false),
});
export type RollRequest = z.output<typeof rollRequestSchema>;
