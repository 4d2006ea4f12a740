import { extract, type Header } from 'tar-stream';
import { GatewayError } from '../../../../contracts/errors/index.js';
import type { TarHeader } from './TarHeader.js';

/** Receives one entry's content; `undefined` skips it. */
export type TarEntryVisitor = (header: TarHeader) => ((chunk: Uint8Array) => void) | undefined;

function invalid(detail: string): GatewayError {
  return new GatewayError('BACKUP_ARCHIVE_INVALID', { params: { detail } });
}

function backupHeader(header: Header): TarHeader {
  const name = header.name.replace(/\/$/, '');
  const type = header.type === 'file' || header.type === 'contiguous-file' ? 'file' : header.type === 'directory' ? 'directory' : undefined;
  if (type === undefined) throw invalid(`entry ${name} has unsupported type ${header.type ?? 'unknown'}`);
  return { name, type, size: header.size ?? 0, mode: header.mode ?? 0, mtime: Math.floor((header.mtime?.getTime() ?? 0) / 1000) };
}

/**
 * Reads a tar archive (ustar, GNU or pax, through tar-stream) chunk by chunk, with backpressure:
 * never more than the library's buffer is held. Structural damage is BACKUP_ARCHIVE_INVALID.
 */
export async function readTar(source: AsyncIterable<Uint8Array>, visit: TarEntryVisitor): Promise<void> {
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
      const sink = visit(backupHeader(entry.header));
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
