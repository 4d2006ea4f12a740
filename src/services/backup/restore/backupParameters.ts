import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { GatewayError } from '../../../../contracts/errors/index.js';
import { taxItemSchema, userInfoSchema, type TaxItem, type UserInfo } from '../../../../protocols/gb-link/index.js';
import type { BackupManifest } from '../BackupManifest.js';

/** What a backup holds that may go onto a replacement register, and what it holds that never may. */
export interface BackupParameters {
  readonly backupId: string;
  readonly machineNumber: string;
  /** 38 as backed up; undefined when the register was not initialized. */
  readonly userInfo?: UserInfo;
  readonly taxItems: readonly TaxItem[];
  /** Fiscal memory kinds and their counts: listed in the result as never restored. */
  readonly fiscalMemory: Readonly<Record<string, number>>;
}

const FISCAL_MEMORY_KINDS = ['invoices', 'daily', 'declarations', 'rolls'] as const;
const Line = z.object({ seq: z.number().int().nonnegative(), record: z.unknown() });

async function records(dir: string, kind: string): Promise<unknown[]> {
  const out: unknown[] = [];
  try {
    for await (const line of createInterface({ input: createReadStream(join(dir, `${kind}.jsonl`)), crlfDelay: Infinity })) {
      if (line !== '') out.push(Line.parse(JSON.parse(line)).record);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new GatewayError('RESTORE_REFUSED', { params: { detail: `${kind}.jsonl of the backup does not read: ${(error as Error).message}`, detailZh: `备份中的 ${kind}.jsonl 无法读取` }, cause: error });
  }
  return out;
}

/** Reads the parameters from a backup folder that has just been verified (so its files are the ones hashed). */
export async function readBackupParameters(dir: string, manifest: BackupManifest): Promise<BackupParameters> {
  const [userInfo] = await records(dir, 'user-info');
  const taxItems = await records(dir, 'tax-items');
  const parsedUser = userInfo === undefined ? undefined : userInfoSchema.safeParse(userInfo);
  const parsedItems = z.array(taxItemSchema).safeParse(taxItems);
  if (parsedUser?.success === false || !parsedItems.success) {
    throw new GatewayError('RESTORE_REFUSED', { params: { detail: `backup ${manifest.id} holds parameters this gateway cannot read`, detailZh: `备份 ${manifest.id} 中的参数本网关无法读取` } });
  }
  return {
    backupId: manifest.id,
    machineNumber: manifest.device.machineNumber,
    ...(parsedUser === undefined ? {} : { userInfo: parsedUser.data }),
    taxItems: parsedItems.data,
    fiscalMemory: Object.fromEntries(FISCAL_MEMORY_KINDS.map((kind) => [kind, manifest.kinds[kind]?.records ?? 0])),
  };
}
