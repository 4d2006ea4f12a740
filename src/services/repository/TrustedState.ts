import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import { writeFileAtomic } from '../../../platform/atomicWrite.js';
import { fsyncPath } from '../../../platform/fsyncPath.js';
import { decodeMetadata, ROLE_FILE, rootFileOfVersion, verifyInitialRoot, type Metadata } from '../../../protocols/fwrepo/index.js';

/** What the gateway trusts of the repository: the newest root, and the newest timestamp, snapshot and targets that verified together. */
export interface Trusted {
  readonly root: Metadata<'root'>;
  readonly timestamp?: Metadata<'timestamp'>;
  readonly snapshot?: Metadata<'snapshot'>;
  readonly targets?: Metadata<'targets'>;
  readonly record?: TrustRecord;
}

const trustRecordSchema = z.strictObject({
  /** When timestamp, snapshot and targets last verified (an update that found nothing new counts). */
  verifiedAt: z.string(),
  /** Where they were read from (an https URL or a folder). */
  source: z.string(),
});
export type TrustRecord = z.output<typeof trustRecordSchema>;

const RECORD_FILE = 'verified.json';

/**
 * `<data-dir>/repository/trusted/`: every metadata version the gateway accepted, each replaced atomically
 * (platform/atomicWrite) once verified, so a restart never trusts less than before: `root.json` and each
 * `N.root.json` seen, `timestamp.json`, `snapshot.json`, `targets.json`, and `verified.json` (when, from where).
 */
export class TrustedState {
  constructor(readonly dir: string) {}

  private file(name: string): string {
    return join(this.dir, name);
  }

  private async read(name: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.file(name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * The trusted metadata; the first time, the root given by configuration (`--repository-root`), which must
   * be signed by its own threshold, becomes the trusted root. Undefined when there is neither.
   */
  async load(initialRoot?: string): Promise<Trusted | undefined> {
    const stored = await this.read(ROLE_FILE.root);
    let root: Metadata<'root'>;
    if (stored) {
      root = decodeMetadata(stored, 'root');
    } else {
      if (initialRoot === undefined) return undefined;
      const bytes = await readFile(initialRoot).catch((cause: NodeJS.ErrnoException) => {
        throw new GatewayError('REPO_NOT_CONFIGURED', { params: { detail: `cannot read the repository root ${initialRoot}: ${cause.code ?? cause.message}` }, cause });
      });
      root = verifyInitialRoot(new Uint8Array(bytes), initialRoot);
      await this.saveRoot(root);
    }
    const optional = async <R extends 'timestamp' | 'snapshot' | 'targets'>(role: R) => {
      const bytes = await this.read(ROLE_FILE[role]);
      return bytes ? decodeMetadata(bytes, role) : undefined;
    };
    const recordBytes = await this.read(RECORD_FILE);
    const record = recordBytes ? trustRecordSchema.safeParse(JSON.parse(Buffer.from(recordBytes).toString('utf8'))) : undefined;
    const [timestamp, snapshot, targets] = [await optional('timestamp'), await optional('snapshot'), await optional('targets')];
    return { root, ...(timestamp ? { timestamp } : {}), ...(snapshot ? { snapshot } : {}), ...(targets ? { targets } : {}), ...(record?.success ? { record: record.data } : {}) };
  }

  async saveRoot(root: Metadata<'root'>): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file(rootFileOfVersion(root.signed.version)), root.bytes);
    await writeFileAtomic(this.file(ROLE_FILE.root), root.bytes);
  }

  /** Drops what a replaced key signed (fast-forward recovery, protocols/fwrepo/SPEC.md §5), durably. */
  async forget(roles: readonly ('timestamp' | 'snapshot' | 'targets')[]): Promise<void> {
    for (const role of roles) await rm(this.file(ROLE_FILE[role]), { force: true });
    await fsyncPath(this.dir).catch(() => undefined);
  }

  /** Timestamp, snapshot and targets that verified together, then the record of when: each file atomically. */
  async saveChain(chain: { timestamp: Metadata<'timestamp'>; snapshot: Metadata<'snapshot'>; targets: Metadata<'targets'> }, record: TrustRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // Targets first, timestamp last: a crash in between leaves a timestamp that still names what is kept or older.
    await writeFileAtomic(this.file(ROLE_FILE.targets), chain.targets.bytes);
    await writeFileAtomic(this.file(ROLE_FILE.snapshot), chain.snapshot.bytes);
    await writeFileAtomic(this.file(ROLE_FILE.timestamp), chain.timestamp.bytes);
    await writeFileAtomic(this.file(RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  }
}
