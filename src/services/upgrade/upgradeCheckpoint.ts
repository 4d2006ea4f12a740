import { z } from 'zod';
import { UPGRADE_PATHS } from '../../../protocols/fwpkg/manifest.js';

/**
 * What an upgrade writes down before each step that could be cut (src/jobs/ENGINE.md): the package and versions
 * always; `offset` after each block the register took (or what the path's medium holds); `activated` before 64/07 leaves; `confirming` before 64/08.
 */
export const upgradeCheckpointSchema = z.object({
  phase: z.enum(['write', 'activated', 'confirming']),
  packageId: z.string(),
  from: z.string(),
  to: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  offset: z.number().int().min(0),
  backupId: z.string(),
  kind: z.enum(['upgrade', 'reinstall', 'downgrade']),
  /** Which path's transfer owns the 'write' phase (checkpoints from before the paths were modules are serial). */
  path: z.enum(UPGRADE_PATHS).default('serial'),
  /** The path's own small state while in 'write' (TransferPlan.progress), read back from TransferPlan.resumed. */
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type UpgradeCheckpoint = z.infer<typeof upgradeCheckpointSchema>;

export function readUpgradeCheckpoint(value: unknown): UpgradeCheckpoint | undefined {
  const parsed = upgradeCheckpointSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
