import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { GatewayError } from '../../contracts/errors/index.js';
import { writeFileAtomicSync } from '../../platform/atomicWrite.js';
import { tokenPath } from './paths.js';

/** Where the data dir and token tell what they found wrong; the daemon's pino logger. */
export type DataDirLog = Pick<Logger, 'warn'>;

function unusable(dir: string, detail: string, cause?: unknown): GatewayError {
  return new GatewayError('DATA_DIR_UNUSABLE', { params: { dir, detail }, cause });
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

const newToken = () => `${randomBytes(32).toString('base64url')}\n`;

/** Creates the data dir (0700) or tightens it to 0700, warning with its old mode; refuses one that belongs to another user. */
export function prepareDataDir(dir: string, log: DataDirLog): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = statSync(dir);
    if (!stat.isDirectory()) throw unusable(dir, 'not a directory');
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) throw unusable(dir, `owned by uid ${stat.uid}, not ${uid}`);
    if ((stat.mode & 0o777) !== 0o700) {
      chmodSync(dir, 0o700);
      log.warn({ path: dir, oldMode: octal(stat.mode), newMode: '0700' }, 'the data dir was open to other users; tightened to 0700');
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw unusable(dir, (error as Error).message, error);
  }
}

/** Replaces the token file whole (a reader never sees half a token), created 0600 beside it. */
function rotate(path: string): void {
  writeFileAtomicSync(path, newToken(), { mode: 0o600 });
}

/**
 * The API token: created at first start (256 random bits, mode 0600), read afterwards. A token file
 * group or others may read or write is tightened to 0600 with a warning; one that others (any local
 * user) could read or write is also replaced by a new token, since whoever copied or planted it could
 * use it: clients reading the data dir pick the new one up, a copy in FISCALD_TOKEN must be renewed.
 */
export function ensureToken(dir: string, log: DataDirLog): { token: string; created: boolean; rotated: boolean } {
  const path = tokenPath(dir);
  try {
    writeFileSync(path, newToken(), { mode: 0o600, flag: 'wx' });
    return { token: readFileSync(path, 'utf8').trim(), created: true, rotated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(dir, `cannot create the token: ${(error as Error).message}`, error);
  }
  const mode = statSync(path).mode;
  let rotated = false;
  try {
    if ((mode & 0o077) !== 0) {
      chmodSync(path, 0o600);
      log.warn({ path, oldMode: octal(mode), newMode: '0600' }, 'the API token file was open to other users; tightened to 0600');
    }
    if ((mode & 0o006) !== 0) {
      rotate(path);
      rotated = true;
      log.warn({ path }, 'rotated the API token: any local user could have copied the old one, which no longer works; clients must use the new token in the data dir');
    }
  } catch (error) {
    throw unusable(dir, `cannot secure the token: ${(error as Error).message}`, error);
  }
  const token = readFileSync(path, 'utf8').trim();
  if (token.length < 16) throw unusable(dir, `${path} holds no usable token (delete it to get a new one)`);
  return { token, created: false, rotated };
}
