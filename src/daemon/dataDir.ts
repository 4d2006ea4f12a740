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

/**
 * Creates the data dir (0750: the service's group, `fiscal`, may enter it to read the token) or tightens it to 0750
 * when group members could write in it or others could enter it, warning with its old mode; refuses one that belongs
 * to another user.
 */
export function prepareDataDir(dir: string, log: DataDirLog): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    const stat = statSync(dir);
    if (!stat.isDirectory()) throw unusable(dir, 'not a directory');
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) throw unusable(dir, `owned by uid ${stat.uid}, not ${uid}`);
    if ((stat.mode & 0o027) !== 0) {
      chmodSync(dir, 0o750);
      log.warn({ path: dir, oldMode: octal(stat.mode), newMode: '0750' }, 'the data dir was open to other users; tightened to 0750');
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw unusable(dir, (error as Error).message, error);
  }
}

/** Replaces the token file whole (a reader never sees half a token), created 0640 beside it. */
function rotate(path: string): void {
  writeFileAtomicSync(path, newToken(), { mode: TOKEN_MODE });
}

/**
 * The token is readable by the service user and its group (`fiscal` under the unit in udev/): members of that group
 * use fiscalctl without sudo. Nobody else reads it, and nobody but the owner writes it.
 */
const TOKEN_MODE = 0o640;

/**
 * The API token: created at first start (256 random bits, mode 0640), read afterwards. A token file
 * its group may write or others may read or write is tightened to 0640 with a warning; one that others (any local
 * user) could read or write is also replaced by a new token, since whoever copied or planted it could
 * use it: clients reading the data dir pick the new one up, a copy in FISCALD_TOKEN must be renewed.
 */
export function ensureToken(dir: string, log: DataDirLog): { token: string; created: boolean; rotated: boolean } {
  const path = tokenPath(dir);
  try {
    writeFileSync(path, newToken(), { mode: TOKEN_MODE, flag: 'wx' });
    chmodSync(path, TOKEN_MODE); // whatever the umask (the unit's is 0027, a shell's may be 0077)
    return { token: readFileSync(path, 'utf8').trim(), created: true, rotated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(dir, `cannot create the token: ${(error as Error).message}`, error);
  }
  const mode = statSync(path).mode;
  let rotated = false;
  try {
    if ((mode & 0o037) !== 0) {
      chmodSync(path, TOKEN_MODE);
      log.warn({ path, oldMode: octal(mode), newMode: '0640' }, 'the API token file was open to other users; tightened to 0640');
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
