import { promisify } from 'node:util';
import { deflateRaw } from 'node:zlib';

const deflate = promisify(deflateRaw);

/**
 * Raw-deflates image blocks for GB link 75 (SPEC.md §5.9), each on its own, on libuv's thread pool: the block
 * after the one asked for is started at once, so it is ready when the line is (compression never idles the line).
 */
export class BlockDeflater {
  private readonly ready = new Map<string, Promise<Uint8Array>>();

  constructor(private readonly image: Uint8Array, private readonly level = 6) {}

  /** The deflated form of image[offset, offset + length); prepares the next block of the same length. */
  take(offset: number, length: number): Promise<Uint8Array> {
    const block = this.start(offset, length);
    this.ready.delete(key(offset, length));
    for (const stale of [...this.ready.keys()]) if (Number(stale.split(':')[0]) < offset) this.ready.delete(stale);
    const next = offset + length;
    if (next < this.image.length) this.start(next, Math.min(length, this.image.length - next));
    return block;
  }

  private start(offset: number, length: number): Promise<Uint8Array> {
    const id = key(offset, length);
    let block = this.ready.get(id);
    if (block === undefined) {
      block = deflate(this.image.subarray(offset, offset + length), { level: this.level }).then((out) => new Uint8Array(out.buffer, out.byteOffset, out.length));
      // A prefetched block nobody takes (the write stopped) must not surface as an unhandled rejection.
      block.catch(() => undefined);
      this.ready.set(id, block);
    }
    return block;
  }
}

const key = (offset: number, length: number) => `${offset}:${length}`;
