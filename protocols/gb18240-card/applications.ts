/** Applications, card types and file identifiers of the GB18240.2 cards (SPEC.md §1). */

export type CardKind = 'fiscal' | 'user' | 'inspection' | 'upgrade';

/** Application names selected with `00 A4 04 00`, ASCII. The upgrade card's name is this project's. */
export const applicationNames: Readonly<Record<CardKind, string>> = {
  fiscal: 'TSAM01',
  user: 'TID01',
  inspection: 'CHECK01',
  upgrade: 'UPGRADE01',
};

/** Card type byte, the first byte of EF02 on every card. */
export const cardTypeCodes: Readonly<Record<CardKind, number>> = {
  fiscal: 0x00,
  user: 0x01,
  inspection: 0x02,
  upgrade: 0x03,
};

export function cardKindOfType(code: number): CardKind | undefined {
  return (Object.keys(cardTypeCodes) as CardKind[]).find((kind) => cardTypeCodes[kind] === code);
}

export function applicationNameBytes(kind: CardKind): Uint8Array {
  return Uint8Array.from(applicationNames[kind], (c) => c.charCodeAt(0));
}

/** EFn has file identifier 0xEF00 + n and short file identifier n. */
export function fileId(ef: number): number {
  return 0xef00 + ef;
}

export function fileLabel(ef: number): string {
  return `EF${ef.toString(16).toUpperCase().padStart(2, '0')}`;
}
