import type { VirtualCard } from '../../../fixtures/cards/VirtualCard.js';

/**
 * The least fiscal card the simulator's own tests need (SELECT, EF02, VERIFY_FISCAL_PIN that
 * rotates the PIN): the real virtual cards are fixtures/cards', tested there.
 */
export class FakeFiscalCard implements VirtualCard {
  readonly atr = Uint8Array.of(0x3b, 0x02, 0x14, 0x50);
  selected = false;
  pin: string;
  readonly apdus: Uint8Array[] = [];

  constructor(readonly cardNumber: string, readonly machineNumber: string, pin: string) {
    this.pin = pin;
  }

  reset(): void {
    this.selected = false;
  }

  process(apdu: Uint8Array): Uint8Array {
    this.apdus.push(apdu);
    const [cla, ins] = apdu;
    if (cla === 0x00 && ins === 0xa4 && apdu[2] === 0x04) {
      const name = Buffer.from(apdu.subarray(5, 5 + apdu[4]!)).toString('ascii');
      this.selected = name === 'TSAM01';
      return Uint8Array.of(this.selected ? 0x90 : 0x6a, this.selected ? 0x00 : 0x82);
    }
    if (!this.selected) return Uint8Array.of(0x69, 0x85);
    if (cla === 0x00 && ins === 0xa4) return Uint8Array.of(0x90, 0x00);
    if (cla === 0x00 && ins === 0xb0) {
      const ef02 = new Uint8Array(103);
      ef02[1] = 0x01;
      ef02.set(Buffer.from(this.cardNumber, 'hex'), 2);
      ef02.set(Buffer.from(this.machineNumber, 'hex'), 10);
      return Uint8Array.from([...ef02.subarray(0, apdu[4] || 256), 0x90, 0x00]);
    }
    if (cla === 0xc0 && ins === 0xf9) {
      const given = Buffer.from(apdu.subarray(5, 13)).toString('hex');
      if (given !== this.pin) return Uint8Array.of(0x63, 0xc2);
      const next = Buffer.from(this.pin, 'hex').map((b) => (b + 1) & 0xff);
      this.pin = Buffer.from(next).toString('hex');
      return Uint8Array.from([...next, 0x90, 0x00]);
    }
    return Uint8Array.of(0x6d, 0x00);
  }
}
