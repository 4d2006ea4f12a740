/**
 * The second seam of DESIGN.md: one smart card, reached through a PC/SC reader, through a
 * register's card slot (GB link 59/5A/5B) or in memory. `transmit` is raw: the response
 * ends with SW1 SW2 and 61xx/6Cxx are the caller's business (protocols/apdu/transceive).
 */
export type CardChannelKind = 'pcsc' | 'register-slot' | 'virtual';

export interface CardChannelDescription {
  readonly kind: CardChannelKind;
  /** PC/SC reader name, or `<device-id>/fiscal` / `<device-id>/user` for a register slot. */
  readonly reader: string;
}

export interface CardChannel {
  readonly description: CardChannelDescription;
  /** Sends one command APDU, resolves with the response data followed by SW1 SW2. */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  /** Cold or warm reset; resolves with the ATR. */
  reset(): Promise<Uint8Array>;
}
