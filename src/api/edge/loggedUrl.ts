import { secretFieldNames } from '../../log.js';

const secretNames = new Set(secretFieldNames.map((name) => name.toLowerCase()));
const REDACTED = '[redacted]';
const LOGGED_PATH_MAX = 200;
const LOGGED_VALUE_MAX = 100;

/**
 * A request URL as the log may keep it: the path (at most 200 characters) and the query with the value of every
 * parameter no route takes (`knownNames`: a client that put its token in `?token=` or `?access_token=`, a
 * console login link's `?once=`), and of every secret-named one, replaced by [redacted]. Parameters the API
 * does take (limit, state, device…) keep their value, shortened.
 */
export function loggedUrl(url: string, knownNames: ReadonlySet<string>): string {
  const at = url.indexOf('?');
  const rawPath = at < 0 ? url : url.slice(0, at);
  const path = rawPath.length > LOGGED_PATH_MAX ? `${rawPath.slice(0, LOGGED_PATH_MAX)}…` : rawPath;
  if (at < 0) return path;
  const query = new URLSearchParams(url.slice(at + 1));
  const kept: string[] = [];
  for (const [name, value] of query) {
    const keep = knownNames.has(name) && !secretNames.has(name.toLowerCase());
    const shown = keep ? (value.length > LOGGED_VALUE_MAX ? `${value.slice(0, LOGGED_VALUE_MAX)}…` : value) : REDACTED;
    kept.push(`${encodeURIComponent(name.slice(0, LOGGED_VALUE_MAX))}=${keep ? encodeURIComponent(shown) : shown}`);
  }
  return `${path}?${kept.join('&')}`;
}
