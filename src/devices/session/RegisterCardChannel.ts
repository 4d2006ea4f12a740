import type { CardChannel, CardChannelDescription } from '../../../contracts/CardChannel.js';
import type { CardSlot } from '../../../protocols/gb-link/index.js';

/** What RegisterCardChannel needs from the session: one APDU out, its raw response back. */
export interface SlotAccess {
  powerOn(slot: CardSlot): Promise<Uint8Array>;
  apdu(slot: CardSlot, apdu: Uint8Array, effect: 'read' | 'write'): Promise<Uint8Array>;
}

/**
 * SELECT, READ BINARY and READ RECORD of the ISO interindustry class change nothing on the card
 * and may be re-sent after a lost reply; everything else (VERIFY, the GB18240 C0 commands that
 * rotate the PIN or sign, GET RESPONSE, updates) may not.
 */
export function apduEffect(apdu: Uint8Array): 'read' | 'write' {
  const cla = apdu[0]!;
  const ins = apdu[1]!;
  const interindustry = (cla & 0xf0) === 0x00;
  return interindustry && (ins === 0xa4 || ins === 0xb0 || ins === 0xb2) ? 'read' : 'write';
}

/** A card in one of the register's slots, reached through GB link 59/5B, as a CardChannel. */
export class RegisterCardChannel implements CardChannel {
  readonly description: CardChannelDescription;

  constructor(private readonly access: SlotAccess, private readonly slot: CardSlot, deviceId: string) {
    this.description = { kind: 'register-slot', reader: `${deviceId}/${slot}` };
  }

  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    return this.access.apdu(this.slot, apdu, apduEffect(apdu));
  }

  reset(): Promise<Uint8Array> {
    return this.access.powerOn(this.slot);
  }
}
