import { z } from 'zod';
import { CMD } from '../commandCodes.js';
import { command, layout, layoutWithTail } from './codec.js';
import { u16, u32 } from './schemas.js';

export const compressedBlockSchema = z.object({
  offset: u32,
  /** The block's length once inflated: 1 … 64/01's max block. */
  size: u16.min(1),
  /** The block deflated (RFC 1951 raw deflate, no zlib or gzip header), shorter than `size`. */
  deflated: z.instanceof(Uint8Array).refine((b) => b.length >= 1, 'at least one byte'),
});
export type CompressedBlock = z.infer<typeof compressedBlockSchema>;

/**
 * 75 compressed firmware write [project] (SPEC.md §5.9): offset 4, size 2, raw-deflate data → the register's
 * contiguous count afterwards, u32, exactly as 64/02 with the inflated block. Sent only when 70 lists 75.
 * The register inflates; the transfer's digests (64/01, 64/04) stay over the image, never the deflated bytes.
 */
export const firmwareWriteCompressed = command(CMD.FIRMWARE_WRITE_COMPRESSED, 'firmware write compressed', 'idempotent', layoutWithTail<CompressedBlock>(
  CMD.FIRMWARE_WRITE_COMPRESSED, compressedBlockSchema,
  (w, v) => w.u32(v.offset, 'offset').u16(v.size, 'size'),
  (v) => v.deflated,
  (r) => {
    const offset = r.u32('offset');
    const size = r.u16('size');
    const deflated = r.rest();
    if (size === 0) r.fail('compressed block of size 0');
    if (deflated.length === 0) r.fail('empty compressed block');
    return { offset, size, deflated };
  },
), layout<{ received: number }>(
  CMD.FIRMWARE_WRITE_COMPRESSED, z.object({ received: u32 }), (w, v) => w.u32(v.received, 'received'), (r) => ({ received: r.u32('received') }),
));
