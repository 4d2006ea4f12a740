import { z } from 'zod';

/**
 * What the gateway must remember between the fiscal card's registration (TERMINAL_REGISTER, which hands
 * out the fiscal PIN exactly once) and a verified initialization of the register: without it an
 * interrupted run could never resume, and the card would go back to the tax office. It is the
 * initialization job's checkpoint (src/jobs/ENGINE.md), written in the job row before the step it
 * protects; the PIN is the card's own answer in this flow, kept only until the register has taken it
 * (GB link 30). Never logged, never shown.
 */
export const pendingInitializationSchema = z.object({
  deviceId: z.string(),
  machineNumber: z.string(),
  fiscalCardNumber: z.string(),
  userCardNumber: z.string(),
  /** The PIN from TERMINAL_REGISTER (hex); null before its answer came, and again once the register holds it (`written`). */
  pin: z.string().regex(/^[0-9a-f]{16}$/).nullable(),
  /**
   * `registering`: TERMINAL_REGISTER sent; `registered`: PIN received, not yet given to anyone;
   * `pin-sent`: GB link 30 sent with the PIN (the register verifies it with the card, which rotates it):
   * until the register is seen initialized, the PIN may be stale; `written`: GB link 30 took effect;
   * `closed`: nothing left to resume (verified, or given up).
   */
  stage: z.enum(['registering', 'registered', 'pin-sent', 'written', 'closed']),
  /** The date sent in GB link 30, so a read-back resumed on a later day compares the right date. */
  initializationDate: z.string().optional(),
  at: z.string(),
});
export type PendingInitialization = z.infer<typeof pendingInitializationSchema>;

/**
 * The gateway's memory of unfinished initializations, by fiscal card: the newest initialization job's
 * checkpoint for that card, unless it is `closed` (the daemon reads it from the job store).
 */
export interface PendingInitializations {
  get(fiscalCardNumber: string): Promise<PendingInitialization | undefined>;
}

/** Reads a stored checkpoint back: anything that is not a pending initialization counts as none. */
export function asPendingInitialization(checkpoint: unknown): PendingInitialization | undefined {
  const parsed = pendingInitializationSchema.safeParse(checkpoint);
  return parsed.success ? parsed.data : undefined;
}
