import { readFileSync } from 'node:fs';

/** fiscal-gateway's version from its package.json (one source for `fiscalctl --version` and `fiscald --version`). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
