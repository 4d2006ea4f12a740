import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** The paths of the web console; open (no token): a static page whose every API call carries the token. */
export const CONSOLE_PATHS: readonly string[] = ['/'];

export interface ConsolePage {
  readonly html: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** `'sha256-…'` sources for every inline `<tag>` block, hashed over its exact text as CSP Level 2 wants. */
function inlineHashes(html: string, tag: 'script' | 'style'): string[] {
  const blocks = [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1]!);
  return blocks.map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
}

/**
 * The console page and the headers it is served with. Its one script and one style block are allowed by hash
 * and nothing else loads: no remote resource, no eval, no inline handler, no framing, API calls to this origin only.
 */
export function consolePage(html: string = readFileSync(new URL('./console/console.html', import.meta.url), 'utf8')): ConsolePage {
  const policy = [
    "default-src 'none'",
    `script-src ${inlineHashes(html, 'script').join(' ')}`,
    `style-src ${inlineHashes(html, 'style').join(' ')}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
  ].join('; ');
  return {
    html: Buffer.from(html, 'utf8'),
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': policy,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store',
    },
  };
}

/**
 * `/`: the web console for a technician at the counter (devices, readers and cards, jobs with live progress,
 * service records, diagnostics and backup). Registered on the root, outside /v1; the Host check still applies.
 */
export async function consolePlugin(app: FastifyInstance): Promise<void> {
  const page = consolePage();
  app.get('/', async (_request, reply) => reply.headers(page.headers).send(page.html));
}
