import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayError } from '../../../contracts/errors/index.js';
import { defaultDataDir } from '../../daemon/paths.js';
import type { CliContext } from '../CliContext.js';

/** A file named on the command line, read whole (images, keys); a missing one is a usage error naming the option. */
export async function readNamedFile(path: string, option: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new GatewayError('CLI_USAGE', { params: { detail: `${option} ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}` }, cause });
  }
}

/** A package file named on the command line must exist and be a file (else a usage error, not a refusal). */
export async function requirePackageFile(path: string): Promise<void> {
  const info = await stat(path).catch((cause: NodeJS.ErrnoException) => {
    throw new GatewayError('CLI_USAGE', { params: { detail: `${path}: ${cause.code ?? cause.message}` }, cause });
  });
  if (!info.isFile()) throw new GatewayError('CLI_USAGE', { params: { detail: `${path} is not a file` } });
}

/** `--trusted-keys DIR`, else $FISCALD_TRUSTED_KEYS, else `<data-dir>/trusted-keys` as fiscald would use it. */
export function trustedKeysDir(ctx: CliContext): string {
  const flag = ctx.options['trusted-keys'];
  if (typeof flag === 'string' && flag !== '') return flag;
  if (ctx.io.env.FISCALD_TRUSTED_KEYS) return ctx.io.env.FISCALD_TRUSTED_KEYS;
  const dataDir = (ctx.options['data-dir'] as string | undefined) ?? ctx.io.env.FISCALD_DATA_DIR ?? defaultDataDir(ctx.io.env);
  return join(dataDir, 'trusted-keys');
}

/** The string value of an option, or a usage error when it is required and missing. */
export function stringOption(ctx: CliContext, name: string, required: true): string;
export function stringOption(ctx: CliContext, name: string, required?: false): string | undefined;
export function stringOption(ctx: CliContext, name: string, required = false): string | undefined {
  const value = ctx.options[name];
  if (typeof value === 'string' && value !== '') return value;
  if (required) throw new GatewayError('CLI_USAGE', { params: { detail: `--${name} is required` } });
  return undefined;
}

/** A comma-separated list option (`--models A,B`, `--paths serial,usb-stick`), empty items dropped. */
export function listOption(ctx: CliContext, name: string): string[] {
  return (stringOption(ctx, name) ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}
