import { pack, type Header } from 'tar-stream';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { TarHeader } from './TarHeader.js';

export { BLOCK, type TarHeader } from './TarHeader.js';

/** How the caller names a source whose size changed while it was archived (a backup: BACKUP_WRITE_FAILED). */
export type TarSizeChanged = (name: string) => GatewayError;

const sizeChangedDefault: TarSizeChanged = (name) => new GatewayError('INTERNAL', { params: { detail: `${name} changed size while being archived` } });

export interface TarSource {
  readonly header: TarHeader;
  /** The file's bytes; must add up to `header.size`. Absent for directories. */
  readonly content?: () => AsyncIterable<Uint8Array>;
}

/**
 * Every field that could vary between two runs is fixed here, so an archive is a function of its
 * sources alone: owner 0:0 with no names, the caller's mode and mtime, entries in the caller's order.
 * (tar-stream writes POSIX ustar headers, a pax header only for a name ustar cannot hold.)
 */
function deterministicHeaders(header: TarHeader): Partial<Header> & Pick<Header, 'name'> {
  return {
    name: header.type === 'directory' && !header.name.endsWith('/') ? `${header.name}/` : header.name,
    type: header.type,
    size: header.type === 'file' ? header.size : 0,
    mode: header.mode,
    mtime: new Date(header.mtime * 1000),
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
  };
}

/** Resolves when `stream` may take more, or has closed (then the next write reports why). */
function drained(stream: ReturnType<ReturnType<typeof pack>['entry']>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

async function writeEntry(archive: ReturnType<typeof pack>, { header, content }: TarSource, sizeChanged: TarSizeChanged): Promise<void> {
  let entryError: Error | null | undefined;
  const finished = new Promise<void>((resolve) => {
    const sink = archive.entry(deterministicHeaders(header), (error) => {
      entryError = error;
      resolve();
    });
    // Its failure is reported through entryError; an 'error' event with no listener would be thrown at the process.
    sink.on('error', () => undefined);
    void (async () => {
      let length = 0;
      if (header.type === 'file' && content !== undefined) {
        for await (const chunk of content()) {
          length += chunk.length;
          if (length > header.size) break;
          if (!sink.write(chunk)) await drained(sink);
        }
      }
      if (header.type === 'file' && length !== header.size) {
        entryError = sizeChanged(header.name);
        sink.destroy(entryError);
        resolve();
        return;
      }
      sink.end(null);
    })().catch((error: unknown) => {
      entryError = error instanceof Error ? error : new Error(String(error));
      sink.destroy(entryError);
      resolve();
    });
  });
  await finished;
  if (entryError) throw entryError;
}

/** A tar archive (tar-stream) as a stream of chunks: each entry in order, then the end-of-archive blocks. */
export async function* tarStream(sources: Iterable<TarSource>, sizeChanged: TarSizeChanged = sizeChangedDefault): AsyncGenerator<Uint8Array> {
  const archive = pack();
  let failure: unknown;
  const producing = (async () => {
    for (const source of sources) await writeEntry(archive, source, sizeChanged);
    archive.finalize();
  })().catch((error: unknown) => {
    failure = error;
    archive.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    for await (const chunk of archive) yield chunk as Uint8Array;
  } catch (error) {
    throw failure ?? error;
  } finally {
    archive.destroy(null);
  }
  await producing;
  if (failure !== undefined) throw failure;
}
