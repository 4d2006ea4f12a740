import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

const FLUSH_AT = 64 * 1024;

/** A file being written once, start to end: buffered, hashed as it goes, fsynced on close. */
export class FileSink {
  private readonly hash: Hash = createHash('sha256');
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private written = 0;

  private constructor(readonly path: string, private readonly handle: FileHandle) {}

  static async create(path: string): Promise<FileSink> {
    return new FileSink(path, await open(path, 'wx', 0o600));
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.written += bytes.length;
    if (this.pendingBytes >= FLUSH_AT) await this.flush();
  }

  get bytes(): number {
    return this.written;
  }

  /** Flushes, fsyncs and closes; resolves with the size and SHA-256 of everything written. */
  async close(): Promise<{ bytes: number; sha256: string }> {
    try {
      await this.flush();
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
    return { bytes: this.written, sha256: this.hash.digest('hex') };
  }

  /** Closes without caring about the content, for an abandoned backup. */
  async discard(): Promise<void> {
    this.pending = [];
    await this.handle.close().catch(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await this.handle.write(chunk);
  }
}
