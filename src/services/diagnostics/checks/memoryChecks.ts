import type { RegisterStatus } from '../../../../protocols/gb-link/index.js';
import type { CheckDefinition } from './CheckDefinition.js';
import { needs, notRun, STATUS_41 } from './CheckDefinition.js';

/**
 * How many records of each kind a fiscal memory holds. The register does not say; these are the lower of
 * the public sources' figures (GB18240.md "Fiscal memory"), so a warning comes early rather than late.
 */
export const fiscalMemoryCapacity = { dailyRecords: 2000, declarations: 2000, rolls: 1000, invoices: 100_000 } as const;
/** Warn from this share of the capacity on. */
export const MEMORY_WARNING_SHARE = 0.9;

type Kind = keyof typeof fiscalMemoryCapacity;

const kinds: readonly { kind: Kind; id: string; count: (s: RegisterStatus) => number; zh: string; en: string }[] = [
  { kind: 'dailyRecords', id: 'memory.daily-records', count: (s) => s.dailyRecordCount, zh: '日交易记录', en: 'daily records' },
  { kind: 'declarations', id: 'memory.declarations', count: (s) => s.declarationCount, zh: '申报记录', en: 'declaration records' },
  { kind: 'rolls', id: 'memory.rolls', count: (s) => s.distributedRollCount, zh: '发票卷分发记录', en: 'distributed rolls' },
  { kind: 'invoices', id: 'memory.invoices', count: (s) => s.invoiceCount, zh: '发票明细', en: 'invoice details' },
];

export const memoryChecks: readonly CheckDefinition[] = kinds.map(({ kind, id, count, zh, en }) => ({
  id,
  measures: { zh: `税控存储器中${zh}的占用`, en: `Fiscal memory fill for ${en}` },
  evaluate: (o) => needs(o.status, STATUS_41, (facts) => {
    if (facts.detail === undefined) return notRun('状态读数不含记录数', 'The status read gives no record counts');
    const used = count(facts.detail);
    const capacity = fiscalMemoryCapacity[kind];
    const percent = Math.floor((used / capacity) * 1000) / 10;
    const measured = { used, capacity, percent };
    if (used < capacity * MEMORY_WARNING_SHARE) {
      return { status: 'ok', facts: measured, summary: { zh: `${zh}已用 ${used}/${capacity}（${percent}%）`, en: `${used}/${capacity} ${en} used (${percent}%)` } };
    }
    const full = used >= capacity;
    return {
      status: full ? 'fault' : 'warning', facts: measured, code: full && kind === 'dailyRecords' ? 'ER 59' : undefined,
      summary: full
        ? { zh: `税控存储器的${zh}已满（${used}/${capacity}）`, en: `Fiscal memory is full of ${en} (${used}/${capacity})` }
        : { zh: `税控存储器的${zh}将满（${percent}%）`, en: `Fiscal memory is almost full of ${en} (${percent}%)` },
      impact: full
        ? { zh: '收款机不能再写入此类记录，将停止开票', en: 'The register cannot write more of them and stops issuing' }
        : { zh: '写满后收款机将停止开票', en: 'When full, the register stops issuing' },
      remedy: { zh: '先完整备份税控数据，再到税务机关办理注销并更换税控存储器或收款机。', en: 'Make a full backup, then deregister at the tax office and replace the fiscal memory or the register.' },
      actor: 'tax-office',
    };
  }),
}));
