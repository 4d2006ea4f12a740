import { promisify } from 'node:util';
import { deflateRaw } from 'node:zlib';
import type { FirmwareImageReader } from './FirmwareImage.js';

const deflate = promisify(deflateRaw);

/** One image block as read, and its raw-deflated form. */
export interface ImageBlock {
  readonly raw: Uint8Array;
  readonly deflated: Uint8Array;
}

/**
 * Reads image blocks and raw-deflates them for GB link 75 (SPEC.md §5.9), each on its own, on libuv's thread pool:
 * the block after the one asked for is started at once, so it is ready when the line is (compression never idles
 * the line). At most that one block is held ahead.
 */
export class BlockDeflater {
  private readonly ready = new Map<string, Promise<ImageBlock>>();

  constructor(private readonly image: FirmwareImageReader, private readonly level = 6) {}

  /** image[offset, offset + length) and its deflated form; prepares the next block of the same length. */
  take(offset: number, length: number): Promise<ImageBlock> {
    const block = this.start(offset, length);
    this.ready.delete(key(offset, length));
    for (const stale of [...this.ready.keys()]) if (Number(stale.split(':')[0]) < offset) this.ready.delete(stale);
    const next = offset + length;
    if (next < this.image.length) this.start(next, Math.min(length, this.image.length - next));
    return block;
  }

  private start(offset: number, length: number): Promise<ImageBlock> {
    const id = key(offset, length);
    let block = this.ready.get(id);
    if (block === undefined) {
      block = this.image.read(offset, length).then(async (raw) => {
        const out = await deflate(raw, { level: this.level });
        return { raw, deflated: new Uint8Array(out.buffer, out.byteOffset, out.length) };
      });
      // A prefetched block nobody takes (the write stopped) must not surface as an unhandled rejection.
      block.catch(() => undefined);
      this.ready.set(id, block);
    }
    return block;
  }
}

const key = (offset: number, length: number) => `${offset}:${length}`;
