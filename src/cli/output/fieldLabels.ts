/** Field names of registration data as people read them (zh-CN); en shows the API's names. */
const zh: Readonly<Record<string, string>> = {
  taxpayerName: '纳税人名称', taxpayerId: '纳税人识别号', declarationMode: '申报方式', address: '地址', phone: '电话',
  contact: '联系人', legalRepresentative: '法定代表人', location: '安装地点', installer: '安装单位', installedOn: '安装日期',
  approvalNumber: '核定编号', invoiceTypes: '票种', singleInvoiceLimit: '单张开票限额', cumulativeLimit: '累计开票限额',
  returnLimit: '退票累计限额', taxRegistrationNumber: '税务登记号', officeCode: '主管税务机关代码', note: '备注',
  machineNumber: '机器编号', register: '收款机', card: '税控卡', fiscalCard: '税控卡', userCard: '用户卡', kind: '类型',
  basicInfo: '基本信息', installation: '安装信息', invoiceApproval: '票种核定', controlData: '监控数据', taxRegistration: '税务登记',
  issueDeadline: '开票截止日期', singleLimit: '单张开票限额', cumulativeAmountLimit: '累计开票限额', returnAmountLimit: '退票累计限额',
};

/** `register.taxpayerName` → 收款机·纳税人名称 (a segment it does not know stays as it is; list positions count from 1). */
export function fieldLabel(path: string, language: 'zh-CN' | 'en'): string {
  if (language !== 'zh-CN' || path === '') return path;
  return path.split('.').map((part) => (/^\d+$/.test(part) ? `第${Number(part) + 1}项` : zh[part] ?? part)).join('·');
}

/** Amounts the register keeps in fen (fields named …Limit or …Amount) are shown in yuan. */
export function fieldValue(path: string, value: string, language: 'zh-CN' | 'en'): string {
  if (!/(Limit|Amount)$/.test(path) || !/^-?\d+$/.test(value)) return value;
  const yuan = (Number(value) / 100).toFixed(2);
  return language === 'zh-CN' ? `${yuan} 元` : `${yuan} yuan`;
}
