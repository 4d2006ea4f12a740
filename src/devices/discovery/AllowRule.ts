import { z } from 'zod';
import type { TransportDescription, TransportKind } from '../../../contracts/ByteTransport.js';
import { globToRegExp } from './pathGlob.js';

/**
 * One entry of the allow-list, written in the configuration as a string:
 * - `VVVV:PPPP` (hex USB ids), optionally prefixed with the transport: `serial:1a86:7523`,
 *   `usb:…`, `hid:…`; without a prefix it allows that device on every transport;
 * - an absolute path, or a glob with `*` and `?` in its last part: `/dev/fiscal/*`.
 */
export type AllowRule =
  | { readonly type: 'ids'; readonly kind?: TransportKind; readonly vendorId: number; readonly productId: number; readonly text: string }
  | { readonly type: 'path'; readonly pattern: string; readonly matcher: RegExp; readonly text: string };

const idsPattern = /^(?:(serial|usb|hid):)?([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$/;

export const allowRuleSchema = z.string().trim().transform((text, context): AllowRule => {
  const ids = idsPattern.exec(text);
  if (ids) {
    const kind = ids[1] as TransportKind | undefined;
    return {
      type: 'ids',
      ...(kind ? { kind } : {}),
      vendorId: Number.parseInt(ids[2]!, 16),
      productId: Number.parseInt(ids[3]!, 16),
      text,
    };
  }
  if (text.startsWith('/') && !text.slice(0, text.lastIndexOf('/')).match(/[*?]/)) {
    return { type: 'path', pattern: text, matcher: globToRegExp(text), text };
  }
  context.addIssue({
    code: 'custom',
    message: `"${text}" is neither VVVV:PPPP (optionally serial:/usb:/hid:) nor an absolute path whose last part may hold * or ?`,
  });
  return z.NEVER;
});

/** Whether a rule allows a device; `aliases` are other names of the same device node (a symlink and its target). */
export function ruleAllows(rule: AllowRule, device: TransportDescription, aliases: readonly string[] = []): boolean {
  if (rule.type === 'ids') {
    return (rule.kind === undefined || rule.kind === device.kind) && device.vendorId === rule.vendorId && device.productId === rule.productId;
  }
  return [device.path, ...aliases].some((path) => rule.matcher.test(path));
}
