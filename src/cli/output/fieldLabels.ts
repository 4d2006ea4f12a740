/** Field names of registration data as people read them (zh-CN); en shows the API's names. */
const zh: Readonly<Record<string, string>> = {
  taxpayerName: '纳税人名称', taxpayerId: '纳税人识别号', declarationMode: '申报方式', address: '地址', phone: '电话',
  contact: '联系人', legalRepresentative: '法定代表人', location: '安装地点', installer: '安装单位', installedOn: '安装日期',
  approvalNumber: '核定编号', invoiceTypes: '票种', singleInvoiceLimit: '单张开票限额', cumulativeLimit: '累计开票限额',
  returnLimit: '退票累计限额', taxRegistrationNumber: '税务登记号', officeCode: '主管税务机关代码', note: '备注',
  machineNumber: '机器编号', register: '收款机', card: '税控卡', fiscalCard: '税控卡', userCard: '用户卡', kind: '类型',
  basicInfo: '基本信息', installation: '安装信息', invoiceApproval: '票种核定', controlData: '监控数据', taxRegistration: '税务登记',
  issueDeadline: '开票截止日期', singleLimit: '单张开票限额', cumulativeAmountLimit: '累计开票限额', returnAmountLimit: '退票累计限额',
  taxpayerNumber: '纳税人编号', fiscalCardNumber: '税控卡号', applicationStartDate: '启用日期', validUntil: '有效期至',
  initializationDate: '初始化日期', taxItemCount: '税目数', taxItem: '税目', initialized: '已初始化', fiscalMode: '税控状态',
  awaitingControlUpdate: '待监控数据更新', recorded: '网关记录',
  // what a restore plan writes or leaves (src/services/backup/restore/planRestore.ts)
  taxpayer: '纳税人参数', 'tax items': '税目', 'fiscal memory': '税控存储器数据', 'header lines and goods items': '票头和商品信息',
};

/**
 * A field of the initialization's read-back (`37.machineNumber`, `39.taxItem[2]`: the GB link command that read
 * it, then the field) as people read it: 机器编号（37）, 税目 2（39）.
 */
export function readBackLabel(field: string, language: 'zh-CN' | 'en'): string {
  const match = /^(\d\d)\.(\w+)(?:\[(\d+)\])?$/.exec(field);
  if (language !== 'zh-CN' || match === null) return field;
  const name = zh[match[2]!] ?? '其他字段';
  return `${name}${match[3] === undefined ? '' : ` ${match[3]}`}（${match[1]}）`;
}

/** A read-back value in zh: yes/no in words, a tax item by its Chinese name only, nothing as 无. */
export function readBackValue(value: string, language: 'zh-CN' | 'en'): string {
  if (language !== 'zh-CN') return value;
  if (value === 'true') return '是';
  if (value === 'false') return '否';
  if (value === '(none)') return '无';
  const item = /^(\S+) (.+?) \/ .+ (\d+\.\d\d%)$/.exec(value);
  return item ? `${item[1]} ${item[2]} ${item[3]}` : value;
}

/** `register.taxpayerName` → 收款机·纳税人名称 (a segment it does not know stays as it is; list positions count from 1). */
export function fieldLabel(path: string, language: 'zh-CN' | 'en'): string {
  if (language !== 'zh-CN' || path === '') return path;
  return path.split('.').map((part) => (/^\d+$/.test(part) ? `第${Number(part) + 1}项` : zh[part] ?? part)).join('·');
}

/** Amounts the register keeps in fen (fields named …Limit or …Amount) are shown in yuan; in zh, yes and no in words. */
export function fieldValue(path: string, value: string, language: 'zh-CN' | 'en'): string {
  if (language === 'zh-CN' && (value === 'true' || value === 'false')) return value === 'true' ? '是' : '否';
  if (!/(Limit|Amount)$/.test(path) || !/^-?\d+$/.test(value)) return value;
  const yuan = (Number(value) / 100).toFixed(2);
  return language === 'zh-CN' ? `${yuan} 元` : `${yuan} yuan`;
}
