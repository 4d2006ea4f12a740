import { z } from 'zod';

/**
 * What a backup holds, one file pair (`<kind>.jsonl` decoded, `<kind>.raw` as read) per kind.
 * Register data comes over GB link; card kinds are the files of the cards in the register's slots.
 */
export const registerKinds = [
  'factory', 'user-info', 'init-history', 'tax-items', 'status', 'counts', 'datetime',
  'rolls', 'roll-summaries', 'daily', 'declarations', 'invoices',
] as const;

export const fiscalCardFiles = ['EF01', 'EF02', 'EF03', 'EF04', 'EF05'] as const;
export const userCardFiles = ['EF01', 'EF02', 'EF03', 'EF04', 'EF05', 'EF06', 'EF07'] as const;

export type CardSlot = 'fiscal' | 'user';

export function cardKind(slot: CardSlot, file: string): BackupKind {
  return `cards/${slot}-${file}`;
}

export const knownKinds: readonly string[] = [
  ...registerKinds,
  ...fiscalCardFiles.map((f) => cardKind('fiscal', f)),
  ...userCardFiles.map((f) => cardKind('user', f)),
];

/** A kind is a relative file stem: lower-case words, at most one `cards/` folder; never `..` or absolute. */
export const BackupKindSchema = z.string().regex(/^(cards\/)?[a-z][a-z0-9]*(-[a-zA-Z0-9]+)*$/, 'not a backup kind');
export type BackupKind = string;
