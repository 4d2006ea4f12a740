import type { CardChannel } from '../../../contracts/CardChannel.js';

const READ_BINARY = 0xb0;
const READ_RECORD = 0xb2;
const GET_RESPONSE = 0xc0;

/**
 * A CardChannel that keeps the data of every successful read (READ BINARY, READ RECORD, GET
 * RESPONSE answering 90 00), so a backup stores the card's bytes as read beside what CardSession
 * decoded from them.
 */
export class RecordingCardChannel implements CardChannel {
  private reads: Uint8Array[] = [];

  constructor(private readonly inner: CardChannel) {}

  get description() {
    return this.inner.description;
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    const response = await this.inner.transmit(apdu);
    const ins = apdu[1];
    const ok = response.length >= 2 && response[response.length - 2] === 0x90 && response[response.length - 1] === 0x00;
    if (ok && (ins === READ_BINARY || ins === READ_RECORD || ins === GET_RESPONSE)) this.reads.push(response.slice(0, -2));
    return response;
  }

  reset(): Promise<Uint8Array> {
    return this.inner.reset();
  }

  /** The data read since the last call, oldest first. */
  take(): Uint8Array[] {
    const taken = this.reads;
    this.reads = [];
    return taken;
  }
}
