import { homedir } from 'node:os';
import { join } from 'node:path';

/** DESIGN.md: /var/lib/fiscal-gateway as root, else ~/.local/share/fiscal-gateway (XDG_DATA_HOME honoured). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? -1): string {
  if (uid === 0) return '/var/lib/fiscal-gateway';
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(base, 'fiscal-gateway');
}

export const DEFAULT_PORT = 18240;
export const DEFAULT_LISTEN = `127.0.0.1:${DEFAULT_PORT}`;

export function tokenPath(dataDir: string): string {
  return join(dataDir, 'token');
}

export function databasePath(dataDir: string): string {
  return join(dataDir, 'fiscald.sqlite');
}
