import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../../platform/atomicWrite.js';
import { fsyncPath } from '../../../platform/fsyncPath.js';

/**
 * What the gateway must remember between the fiscal card's registration (TERMINAL_REGISTER, which
 * hands out the fiscal PIN exactly once) and a verified initialization of the register: without it an
 * interrupted run could never resume, and the card would go back to the tax office. The PIN is the
 * card's own answer in this flow; it is kept only until the register has taken it (GB link 30), and
 * the entry itself until the read-back is done. Never logged.
 */
export const pendingInitializationSchema = z.object({
  deviceId: z.string(),
  machineNumber: z.string(),
  fiscalCardNumber: z.string(),
  userCardNumber: z.string(),
  /** The PIN from TERMINAL_REGISTER (hex); null before its answer came, and again once the register holds it (`written`). */
  pin: z.string().regex(/^[0-9a-f]{16}$/).nullable(),
  /** `registering`: TERMINAL_REGISTER sent; `registered`: PIN received; `written`: GB link 30 took effect. */
  stage: z.enum(['registering', 'registered', 'written']),
  /** The date sent in GB link 30, so a read-back resumed on a later day compares the right date. */
  initializationDate: z.string().optional(),
  at: z.string(),
});
export type PendingInitialization = z.infer<typeof pendingInitializationSchema>;

export interface PendingInitializations {
  get(fiscalCardNumber: string): Promise<PendingInitialization | undefined>;
  put(entry: PendingInitialization): Promise<void>;
  delete(fiscalCardNumber: string): Promise<void>;
}

/** In memory: tests, and a daemon run without a data dir. */
export class MemoryPendingInitializations implements PendingInitializations {
  private readonly entries = new Map<string, PendingInitialization>();

  async get(fiscalCardNumber: string): Promise<PendingInitialization | undefined> {
    const entry = this.entries.get(fiscalCardNumber);
    return entry === undefined ? undefined : { ...entry };
  }

  async put(entry: PendingInitialization): Promise<void> {
    this.entries.set(entry.fiscalCardNumber, pendingInitializationSchema.parse(entry));
  }

  async delete(fiscalCardNumber: string): Promise<void> {
    this.entries.delete(fiscalCardNumber);
  }
}

/**
 * One JSON file per fiscal card in a 0700 folder of the data dir, each 0600 whatever the umask,
 * written atomically and durably (temp file synced, renamed, folder synced), so that a power cut or a
 * daemon restart between the card's registration and the register's write can still resume. An
 * unreadable file counts as no entry (the dry run then refuses a registered card rather than guess).
 */
export class FilePendingInitializations implements PendingInitializations {
  constructor(private readonly folder: string) {}

  private async syncFolder(): Promise<void> {
    await fsyncPath(this.folder);
  }

  private path(fiscalCardNumber: string): string {
    if (!/^\d{16}$/.test(fiscalCardNumber)) throw new RangeError(`not a card number: ${fiscalCardNumber}`);
    return join(this.folder, `${fiscalCardNumber}.json`);
  }

  async get(fiscalCardNumber: string): Promise<PendingInitialization | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(fiscalCardNumber), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return undefined;
    }
    const parsed = pendingInitializationSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  }

  async put(entry: PendingInitialization): Promise<void> {
    const valid = pendingInitializationSchema.parse(entry);
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    await chmod(this.folder, 0o700);
    await writeFileAtomic(this.path(valid.fiscalCardNumber), JSON.stringify(valid), { mode: 0o600 });
  }

  async delete(fiscalCardNumber: string): Promise<void> {
    await rm(this.path(fiscalCardNumber), { force: true });
    await rm(`${this.path(fiscalCardNumber)}.tmp`, { force: true });
    await this.syncFolder().catch(() => undefined);
  }
}
