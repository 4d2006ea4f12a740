/** Job kinds and service-record actions as fiscalctl shows them; en and --json keep the API's words. */
const kindsZh: Readonly<Record<string, string>> = {
  backup: '数据备份', restore: '参数恢复', diagnostics: '故障诊断', initialize: '税控初始化', 'registration-change': '变更登记',
  roll: '发票分发', deregister: '注销', upgrade: '固件升级', 'export-backup': '导出备份', 'verify-backup': '校验备份',
};

/** Registration change kinds (fiscalctl change ID KIND). */
export const changeKindsZh: Readonly<Record<string, string>> = {
  'basic-info': '基本信息', 'installation-info': '安装信息', 'invoice-approval': '票种核定', 'monitoring-data': '监控数据',
  'tax-registration': '税务登记',
};

/** `registration-change:basic-info` → 变更登记：基本信息; an action this fiscalctl does not know → 其他操作 in zh. */
export function actionLabel(action: string, language: 'zh-CN' | 'en'): string {
  if (language !== 'zh-CN') return action;
  const [kind, sub] = action.split(':', 2) as [string, string | undefined];
  const head = kindsZh[kind] ?? '其他操作';
  return sub === undefined ? head : `${head}：${changeKindsZh[sub] ?? sub}`;
}
