/**
 * A backup's kinds of data (src/services/backup/BackupKind.ts) and its completeness checks, as the zh tables name
 * them; --json and en keep the API's words. A kind or check this fiscalctl does not know is 其他 in zh.
 */
const kindsZh: Readonly<Record<string, string>> = {
  factory: '出厂信息', 'user-info': '纳税人信息', 'init-history': '初始化/变更记录', 'tax-items': '税目', status: '状态',
  counts: '记录数', datetime: '时钟', rolls: '发票卷', 'roll-summaries': '发票卷汇总', daily: '日交易记录',
  declarations: '申报记录', invoices: '发票',
};

const checksZh: Readonly<Record<string, string>> = {
  count: '条数核对', 'cross-check': '交叉核对', 'daily-coverage': '日记录覆盖', 'daily-duplicate': '日记录重复', decode: '解码',
  'invoice-duplicate': '发票重号', 'invoice-gap': '发票断号', 'invoice-outside-roll': '发票号不在发票卷内', order: '顺序', read: '读取',
  'record-check': '记录自身校验', 'self-check': '自检', sequence: '序号',
};

const slotZh: Readonly<Record<string, string>> = { fiscal: '税控卡', user: '用户卡' };

export function backupKindLabel(kind: string, language: 'zh-CN' | 'en'): string {
  if (language !== 'zh-CN') return kind;
  const card = /^cards\/(fiscal|user)-(EF\d\d)$/.exec(kind);
  if (card) return `${slotZh[card[1]!]} ${card[2]}`;
  return kindsZh[kind] ?? '其他数据';
}

export function backupCheckLabel(check: string, language: 'zh-CN' | 'en'): string {
  return language === 'zh-CN' ? checksZh[check] ?? '其他检查' : check;
}
