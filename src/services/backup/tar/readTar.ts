import { GatewayError } from '../../../../contracts/errors/index.js';
import { BLOCK, decodeHeader, isZeroBlock, type TarHeader } from './ustarHeader.js';

/** Receives one entry's content; `undefined` skips it. */
export type TarEntryVisitor = (header: TarHeader) => ((chunk: Uint8Array) => void) | undefined;

/** Reads a ustar archive chunk by chunk, never holding more than one chunk and one block. */
export async function readTar(source: AsyncIterable<Uint8Array>, visit: TarEntryVisitor): Promise<void> {
  let held = new Uint8Array(0);
  type State = 'header' | 'body' | 'end';
  let state = 'header' as State;
  let remaining = 0;
  let padding = 0;
  let sink: ((chunk: Uint8Array) => void) | undefined;

  const take = (bytes: Uint8Array): void => {
    let at = 0;
    while (at < bytes.length && state !== 'end') {
      if (state === 'body') {
        if (remaining > 0) {
          const n = Math.min(remaining, bytes.length - at);
          sink?.(bytes.subarray(at, at + n));
          remaining -= n;
          at += n;
          continue;
        }
        const n = Math.min(padding, bytes.length - at);
        padding -= n;
        at += n;
        if (padding === 0) state = 'header';
        continue;
      }
      const need = BLOCK - held.length;
      const part = bytes.subarray(at, at + need);
      at += part.length;
      const joined = new Uint8Array(held.length + part.length);
      joined.set(held);
      joined.set(part, held.length);
      held = joined;
      if (held.length < BLOCK) break;
      const block = held;
      held = new Uint8Array(0);
      if (isZeroBlock(block)) {
        state = 'end';
        break;
      }
      const header = decodeHeader(block);
      sink = visit(header);
      remaining = header.type === 'file' ? header.size : 0;
      padding = (BLOCK - (remaining % BLOCK)) % BLOCK;
      state = remaining + padding > 0 ? 'body' : 'header';
    }
  };

  for await (const chunk of source) {
    take(chunk);
    if (state === 'end') break;
  }
  if (state !== 'end') {
    throw new GatewayError('BACKUP_ARCHIVE_INVALID', { params: { detail: 'the archive is truncated' } });
  }
}
