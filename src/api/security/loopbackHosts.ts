const loopbackNames = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * DNS rebinding defence: a browser tricked into calling us sends the attacker's name as Host. Only the
 * loopback names with our port (and names the operator added on purpose) are accepted.
 */
export function isAllowedHost(host: string | undefined, port: number, extraHosts: readonly string[] = []): boolean {
  if (!host) return false;
  const wanted = host.toLowerCase();
  return [...loopbackNames, ...extraHosts.map((h) => h.toLowerCase())].some((name) => wanted === `${name}:${port}`);
}

/** The origins of pages the daemon itself serves (the web console): always allowed for CORS. */
export function ownOrigins(port: number): string[] {
  return loopbackNames.map((name) => `http://${name}:${port}`);
}
