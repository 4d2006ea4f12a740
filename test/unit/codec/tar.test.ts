import fc from 'fast-check';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { readTar } from '../../../protocols/codec/tar/readTar.js';
import { tarStream } from '../../../protocols/codec/tar/tarStream.js';

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

describe('the tar codec (protocols/codec/tar), shared by backups and anything else that is a tar', () => {
  it('reports damage with the caller\'s error, DECODE_ERROR by default, and never a foreign exception', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2048 }), async (bytes) => {
      const outcome = await readTar(once(bytes), () => undefined).then(() => 'read', (error: unknown) => error);
      if (outcome !== 'read') expect(isGatewayError(outcome, 'DECODE_ERROR'), String(outcome)).toBe(true);
    }), { numRuns: 200 });
    const custom = new GatewayError('BACKUP_ARCHIVE_INVALID', { params: { detail: 'x' } });
    const bad = new Uint8Array(1024).fill(0x41);
    await expect(readTar(once(bad), () => undefined, () => custom)).rejects.toBe(custom);
  });

  it('refuses entries that are neither files nor folders (a link)', async () => {
    const archive = pack();
    archive.entry({ name: 'link', type: 'symlink', linkname: '/etc/passwd' });
    archive.finalize();
    const bytes = await collect(archive as AsyncIterable<Uint8Array>);
    await expect(readTar(once(bytes), () => undefined)).rejects.toSatisfy((e) => isGatewayError(e, 'DECODE_ERROR'));
  });

  it('names a source that changed size with the caller\'s error', async () => {
    const changed = new GatewayError('BACKUP_WRITE_FAILED', { params: { detail: 'grew' } });
    const grown = tarStream([{ header: { name: 'f', type: 'file', size: 1, mode: 0o644, mtime: 0 }, content: () => once(Uint8Array.of(1, 2)) }], () => changed);
    await expect(collect(grown)).rejects.toBe(changed);
  });
});
