import { z } from 'zod';
import { UPGRADE_PATHS } from '../../../protocols/fwpkg/manifest.js';

/** `POST /v1/devices/{id}/upgrade`: which kept package, by which path, and whether a reinstall or a downgrade is meant. */
export const upgradeRequestSchema = z.object({
  package: z.string().regex(/^[0-9a-f]{32}$/, 'a package id (32 hex digits, GET /v1/packages)'),
  path: z.enum(UPGRADE_PATHS).default('serial'),
  allowDowngrade: z.boolean().default(false),
  reinstall: z.boolean().default(false),
}).strict();
export type UpgradeRequest = z.output<typeof upgradeRequestSchema>;
