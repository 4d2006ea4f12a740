import { readFileSync } from 'node:fs';
import { z } from 'zod';

const PackageJson = z.object({ name: z.string(), version: z.string() });

/** Name and version of this gateway, from its package.json, recorded in every backup manifest. */
export const gatewayVersion: { name: string; version: string } = PackageJson.parse(
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')),
);
