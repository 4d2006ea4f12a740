import { readFileSync } from 'node:fs';
import { GatewayError } from '../../contracts/errors/index.js';
import { defaultDataDir, tokenPath } from '../daemon/paths.js';

/** FISCALD_TOKEN, else `<data-dir>/token` (--data-dir, FISCALD_DATA_DIR, or the daemon's default). */
export function resolveToken(env: NodeJS.ProcessEnv, dataDirFlag: string | undefined): string {
  const fromEnv = env.FISCALD_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const dir = dataDirFlag ?? env.FISCALD_DATA_DIR ?? defaultDataDir(env);
  const path = tokenPath(dir);
  try {
    const token = readFileSync(path, 'utf8').trim();
    if (token) return token;
  } catch (cause) {
    throw new GatewayError('TOKEN_NOT_FOUND', { params: { detail: `cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})` }, cause });
  }
  throw new GatewayError('TOKEN_NOT_FOUND', { params: { detail: `${path} is empty` } });
}
