import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * What the gateway must remember between the fiscal card's registration (TERMINAL_REGISTER, which
 * hands out the fiscal PIN exactly once) and a verified initialization of the register: without it an
 * interrupted run could never resume, and the card would go back to the tax office. The PIN is the
 * card's own answer in this flow; it is kept only until the register has stored it and the read-back
 * matched, then the entry is deleted. Never logged.
 */
export const pendingInitializationSchema = z.object({
  deviceId: z.string(),
  machineNumber: z.string(),
  fiscalCardNumber: z.string(),
  userCardNumber: z.string(),
  /** The PIN from TERMINAL_REGISTER (hex), or null when registration was sent and its answer never came. */
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
 * One JSON file per fiscal card in a 0700 folder of the data dir, each 0600, written atomically
 * (temp + rename), so that a daemon restart between the card's registration and the register's
 * write can still resume.
 */
export class FilePendingInitializations implements PendingInitializations {
  constructor(private readonly folder: string) {}

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
    const parsed = pendingInitializationSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  }

  async put(entry: PendingInitialization): Promise<void> {
    const valid = pendingInitializationSchema.parse(entry);
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    await chmod(this.folder, 0o700);
    const target = this.path(valid.fiscalCardNumber);
    const temp = `${target}.tmp`;
    await writeFile(temp, JSON.stringify(valid), { mode: 0o600 });
    await rename(temp, target);
  }

  async delete(fiscalCardNumber: string): Promise<void> {
    await rm(this.path(fiscalCardNumber), { force: true });
  }
}
