import { GatewayError } from '../../../../contracts/errors/index.js';
import type { TaxItem, TaxpayerUpdate, UserInfo } from '../../../../protocols/gb-link/index.js';
import type { BackupParameters } from './backupParameters.js';

/** One write the restore makes: GB link 62, the taxpayer fields a register keeps that change by registration. */
export interface RestoreStep {
  readonly what: 'taxpayer';
  readonly command: '62';
  readonly from: TaxpayerUpdate;
  readonly to: TaxpayerUpdate;
}

/** Something the backup holds that is not put onto the replacement, and why. */
export interface NotRestored {
  readonly what: string;
  readonly reason: string;
  readonly data?: Record<string, unknown>;
}

export interface RestorePlan {
  readonly backupId: string;
  /** The machine the backup was made of (the broken one) and the replacement: a restore names both. */
  readonly fromMachine: string;
  readonly toMachine: string;
  readonly taxpayerNumber: string;
  readonly steps: readonly RestoreStep[];
  /** Parameters already equal on the replacement. */
  readonly alreadyEqual: readonly string[];
  readonly notRestored: readonly NotRestored[];
}

const refuse = (detail: string, detailZh: string) => new GatewayError('RESTORE_REFUSED', { params: { detail, detailZh } });

function taxpayerFields(info: UserInfo): TaxpayerUpdate {
  return { taxpayerName: info.taxpayerName, officeCode: info.officeCode, declarationMode: info.declarationMode };
}

const sameItem = (a: TaxItem, b: TaxItem) => a.index === b.index && a.itemCode === b.itemCode && a.rate === b.rate && a.nameZh === b.nameZh && a.nameEn === b.nameEn;

/**
 * What may go from a backup onto a replacement register (GB18240.md "Fiscal memory"): the taxpayer
 * fields a registration change sets (62), onto a register already initialized for the same taxpayer
 * with the taxpayer's cards. Never fiscal memory (invoices, daily records, declarations, rolls: write-once
 * by law). Tax items are compared but not written: only initialization writes them, from the user
 * card. Refused, with the reason, for the same machine, an uninitialized replacement, another taxpayer.
 */
export function planRestore(source: BackupParameters, target: { machineNumber: string; userInfo?: UserInfo; taxItems: readonly TaxItem[] }): RestorePlan {
  const from = source.userInfo;
  if (from === undefined) throw refuse(`backup ${source.backupId} is of a register that was not initialized: it holds no taxpayer parameters`, `备份 ${source.backupId} 来自一台未初始化的收款机，其中没有纳税人参数`);
  if (target.machineNumber === source.machineNumber) {
    throw refuse(`backup ${source.backupId} is of this same register ${target.machineNumber}; a restore goes onto a replacement register`, `备份 ${source.backupId} 就是这台收款机 ${target.machineNumber} 的；恢复只用于替换机`);
  }
  const to = target.userInfo;
  if (to === undefined) {
    throw refuse(`replacement register ${target.machineNumber} is not initialized: initialize it with the taxpayer's fiscal card and user card first (its tax items come from the user card), then restore`, `替换机 ${target.machineNumber} 尚未初始化：先用该纳税人的税控卡和用户卡初始化（税目来自用户卡），再恢复`);
  }
  if (to.taxpayerNumber !== from.taxpayerNumber) {
    throw refuse(`replacement register ${target.machineNumber} is initialized for taxpayer ${to.taxpayerNumber}, the backup is of taxpayer ${from.taxpayerNumber}`, `替换机 ${target.machineNumber} 初始化给了纳税人 ${to.taxpayerNumber}，备份却属于纳税人 ${from.taxpayerNumber}`);
  }
  const wanted = taxpayerFields(from);
  const current = taxpayerFields(to);
  const differs = (Object.keys(wanted) as (keyof TaxpayerUpdate)[]).filter((field) => wanted[field] !== current[field]);
  const steps: RestoreStep[] = differs.length === 0 ? [] : [{ what: 'taxpayer', command: '62', from: current, to: wanted }];
  const alreadyEqual = differs.length === 0 ? ['taxpayer name, office code, declaration mode'] : [];
  const notRestored: NotRestored[] = [];
  const itemsEqual = source.taxItems.length === target.taxItems.length && source.taxItems.every((item) => target.taxItems.some((other) => sameItem(item, other)));
  if (itemsEqual) alreadyEqual.push('tax items');
  else {
    notRestored.push({
      what: 'tax items',
      reason: 'only initialization writes tax items, from the user card (EF03); the replacement holds others: a registration change at the tax office puts them right',
      data: { inBackup: source.taxItems, onReplacement: target.taxItems },
    });
  }
  notRestored.push(
    { what: 'fiscal memory', reason: 'write-once by law: invoices, daily records, declarations and rolls stay in the backup and are never written into a register', data: { ...source.fiscalMemory } },
    { what: 'header lines and goods items', reason: 'GB link (protocols/gb-link/SPEC.md) has no command that reads or writes them, so no backup holds them' },
  );
  return { backupId: source.backupId, fromMachine: source.machineNumber, toMachine: target.machineNumber, taxpayerNumber: from.taxpayerNumber, steps, alreadyEqual, notRestored };
}
