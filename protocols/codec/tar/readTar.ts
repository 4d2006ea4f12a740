import { extract, type Header } from 'tar-stream';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { TarHeader } from './TarHeader.js';

/** Receives one entry's content; `undefined` skips it. */
export type TarEntryVisitor = (header: TarHeader) => ((chunk: Uint8Array) => void) | undefined;

/** How the caller names a damaged archive (a backup: BACKUP_ARCHIVE_INVALID); DECODE_ERROR by default. */
export type TarInvalid = (detail: string) => GatewayError;

const decodeError: TarInvalid = (detail) => new GatewayError('DECODE_ERROR', { params: { detail: `tar: ${detail}` } });

function entryHeader(header: Header, invalid: TarInvalid): TarHeader {
  const name = header.name.replace(/\/$/, '');
  const type = header.type === 'file' || header.type === 'contiguous-file' ? 'file' : header.type === 'directory' ? 'directory' : undefined;
  if (type === undefined) throw invalid(`entry ${name} has unsupported type ${header.type ?? 'unknown'}`);
  // tar-stream takes a size field it cannot decode (null) for a size (`null >= 0`), then waits for the data forever.
  if (type === 'file' && !(typeof header.size === 'number' && header.size >= 0)) throw invalid('invalid header');
  return { name, type, size: header.size ?? 0, mode: header.mode ?? 0, mtime: Math.floor((header.mtime?.getTime() ?? 0) / 1000) };
}

/**
 * Reads a tar archive (ustar, GNU or pax, through tar-stream) chunk by chunk, with backpressure:
 * never more than the library's buffer is held. Structural damage is BACKUP_ARCHIVE_INVALID.
 */
export async function readTar(source: AsyncIterable<Uint8Array>, visit: TarEntryVisitor, invalid: TarInvalid = decodeError): Promise<void> {
  const archive = extract();
  const feeding = (async () => {
    for await (const chunk of source) {
      if (archive.destroyed) return;
      if (!archive.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            archive.off('drain', done);
            archive.off('close', done);
            resolve();
          };
          archive.on('drain', done);
          archive.on('close', done);
        });
      }
    }
    archive.end(null);
  })().catch((error: unknown) => {
    archive.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    for await (const entry of archive) {
      const sink = visit(entryHeader(entry.header, invalid));
      for await (const chunk of entry) sink?.(chunk as Uint8Array);
    }
  } catch (error) {
    archive.destroy(null);
    await feeding;
    if (error instanceof GatewayError) throw error;
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  await feeding;
}
