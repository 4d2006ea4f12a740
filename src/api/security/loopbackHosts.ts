import { isIP } from 'node:net';

const loopbackNames = ['127.0.0.1', 'localhost', '[::1]'];

/** A literal loopback address: any 127.0.0.0/8 (the daemon may listen on 127.0.0.2) or [::1]. */
function isLoopbackLiteral(name: string): boolean {
  return name === '[::1]' || (isIP(name) === 4 && name.startsWith('127.'));
}

/**
 * DNS rebinding defence: a browser tricked into calling us sends the attacker's name as Host. Only loopback
 * names (localhost, 127.0.0.0/8, [::1]) with our port, and names the operator added on purpose, are accepted,
 * in any case; without a port only when we listen on 80, where browsers leave it out.
 */
export function isAllowedHost(host: string | undefined, port: number, extraHosts: readonly string[] = []): boolean {
  if (!host) return false;
  const match = /^(\[[^\]]*\]|[^:]+)(?::(\d{1,5}))?$/.exec(host.toLowerCase());
  if (!match) return false;
  const [, name = '', given] = match;
  const portMatches = given === undefined ? port === 80 : Number(given) === port && given === String(port);
  if (!portMatches) return false;
  return name === 'localhost' || isLoopbackLiteral(name) || extraHosts.some((extra) => extra.toLowerCase() === name);
}

/** The origins of pages the daemon itself serves (the web console): always allowed for CORS. */
export function ownOrigins(port: number): string[] {
  return loopbackNames.map((name) => `http://${name}:${port}`);
}
