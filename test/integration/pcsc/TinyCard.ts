import type { VirtualCard } from '../../../fixtures/cards/VirtualCard.js';

/**
 * A small card for exercising the PC/SC stack without the GB18240 cards: SELECT "TINY01", READ
 * BINARY of a 16-byte file, VERIFY with a 3-try counter (63Cx, then 6983), and T=0 manners:
 * INS CA answers 61xx and wants GET RESPONSE; a READ BINARY with the wrong Le gets 6Cxx.
 */
export class TinyCard implements VirtualCard {
  readonly atr = Uint8Array.from([0x3b, 0x66, 0x00, 0x00, 0x54, 0x49, 0x4e, 0x59, 0x30, 0x31]); // T=0, "TINY01"
  readonly file = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
  readonly pin = Uint8Array.from([0x31, 0x32, 0x33, 0x34]);
  triesLeft = 3;
  resets = 0;
  readonly seen: string[] = [];
  private selected = false;
  private pending: Uint8Array | undefined;

  process(apdu: Uint8Array): Uint8Array {
    this.seen.push(Buffer.from(apdu).toString('hex'));
    const [cla, ins, p1, p2] = apdu;
    const lc = apdu.length > 5 ? apdu[4]! : 0;
    const data = apdu.subarray(5, 5 + lc);
    const le = apdu.length === 5 ? apdu[4]! : undefined;
    if (cla !== 0x00) return sw(0x6e00);
    if (ins === 0xa4) {
      this.selected = p1 === 0x04 && Buffer.from(data).toString('latin1') === 'TINY01';
      return this.selected ? sw(0x9000) : sw(0x6a82);
    }
    if (!this.selected) return sw(0x6985);
    switch (ins) {
      case 0xb0: {
        const offset = ((p1! & 0x7f) << 8) | p2!;
        const available = Math.max(0, this.file.length - offset);
        if (le === undefined || (le !== 0 && le !== available) || (le === 0 && available !== 256)) {
          return sw(0x6c00 | available);
        }
        return withSw(this.file.subarray(offset), 0x9000);
      }
      case 0xca:
        this.pending = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x01, 0x02]);
        return sw(0x6100 | this.pending.length);
      case 0xc0: {
        if (!this.pending) return sw(0x6985);
        const out = this.pending.subarray(0, le === 0 || le === undefined ? 256 : le);
        this.pending = undefined;
        return withSw(out, 0x9000);
      }
      case 0x20: {
        if (this.triesLeft === 0) return sw(0x6983);
        if (Buffer.from(data).equals(Buffer.from(this.pin))) {
          this.triesLeft = 3;
          return sw(0x9000);
        }
        this.triesLeft -= 1;
        return this.triesLeft === 0 ? sw(0x6983) : sw(0x63c0 | this.triesLeft);
      }
      default:
        return sw(0x6d00);
    }
  }

  reset(): void {
    this.resets += 1;
    this.selected = false;
    this.pending = undefined;
  }
}

function sw(value: number): Uint8Array {
  return Uint8Array.of(value >> 8, value & 0xff);
}

function withSw(data: Uint8Array, status: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = status >> 8;
  out[data.length + 1] = status & 0xff;
  return out;
}
