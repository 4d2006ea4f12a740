/** Job stage ids (the job definitions' `stages`) as the zh progress line names them; en shows the id itself. */
const zh: Readonly<Record<string, string>> = {
  apply: '写入', authenticate: '认证', backup: '备份', check: '检查', distribute: '分发', 'final-state': '读取最终状态',
  inspect: '查看', judging: '判断', mount: '装载', plan: '计划', read: '读取', reading: '读取', recheck: '复查',
  record: '记录', retire: '注销', verify: '校验', write: '写入', upload: '上传', transfer: '传送', activate: '启用', reboot: '重启',
  prepare: '准备', detach: '进入升级模式', attach: '重新连接', reload: '重新识别',
};

export function stageLabel(stage: string | null, language: 'zh-CN' | 'en'): string | null {
  if (stage === null || language !== 'zh-CN') return stage;
  return zh[stage] ?? '进行中';
}
