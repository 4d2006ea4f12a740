import { GatewayError } from '../../../../contracts/errors/index.js';
import { BLOCK, encodeHeader, type TarHeader } from './ustarHeader.js';

export interface TarSource {
  readonly header: TarHeader;
  /** The file's bytes; must add up to `header.size`. Absent for directories. */
  readonly content?: () => AsyncIterable<Uint8Array>;
}

/** A ustar archive as a stream of chunks: header, content, zero padding per entry, two zero blocks at the end. */
export async function* tarStream(sources: Iterable<TarSource>): AsyncGenerator<Uint8Array> {
  for (const { header, content } of sources) {
    yield encodeHeader(header);
    if (header.type !== 'file') continue;
    let length = 0;
    if (content !== undefined) {
      for await (const chunk of content()) {
        length += chunk.length;
        if (length > header.size) break;
        yield chunk;
      }
    }
    if (length !== header.size) {
      throw new GatewayError('BACKUP_WRITE_FAILED', { params: { detail: `${header.name} changed size while being archived` } });
    }
    const padding = (BLOCK - (length % BLOCK)) % BLOCK;
    if (padding > 0) yield new Uint8Array(padding);
  }
  yield new Uint8Array(BLOCK * 2);
}
