import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { GatewayError } from '../../contracts/errors/index.js';
import { tokenPath } from './paths.js';

function unusable(dir: string, detail: string, cause?: unknown): GatewayError {
  return new GatewayError('DATA_DIR_UNUSABLE', { params: { dir, detail }, cause });
}

/** Creates the data dir (0700) or tightens it to 0700; refuses one that belongs to another user. */
export function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = statSync(dir);
    if (!stat.isDirectory()) throw unusable(dir, 'not a directory');
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) throw unusable(dir, `owned by uid ${stat.uid}, not ${uid}`);
    if ((stat.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw unusable(dir, (error as Error).message, error);
  }
}

/**
 * The API token: created at first start (256 random bits, mode 0600, never overwritten), read afterwards.
 * A token file others can read is tightened to 0600.
 */
export function ensureToken(dir: string): { token: string; created: boolean } {
  const path = tokenPath(dir);
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    return { token: readFileSync(path, 'utf8').trim(), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(dir, `cannot create the token: ${(error as Error).message}`, error);
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const token = readFileSync(path, 'utf8').trim();
  if (token.length < 16) throw unusable(dir, `${path} holds no usable token (delete it to get a new one)`);
  return { token, created: false };
}
