/** Device, job and record states as fiscalctl's tables show them; `--json` keeps the API's words. */
const labels: Readonly<Record<string, string>> = {
  online: '在线', offline: '离线', identifying: '识别中', maintenance: '维护中', bootloader: '引导程序',
  running: '运行中', waiting: '等待中', succeeded: '成功', failed: '失败', cancelled: '已取消', interrupted: '中断',
};

export function stateLabel(state: string, language: 'zh-CN' | 'en'): string {
  return language === 'zh-CN' ? labels[state] ?? state : state;
}
