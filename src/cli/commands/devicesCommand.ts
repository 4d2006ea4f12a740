import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import { stateLabel } from '../output/stateLabels.js';
import { diagnosisLabel, fiscalStateLabel } from '../output/fiscalLabels.js';
import { renderTable } from '../output/table.js';
import type { DeviceView } from '../types.js';

export const devicesCommand: Command = {
  name: 'devices', summary: 'List the registers fiscald knows', usage: 'devices', positionals: [],
  async run(ctx) {
    const { devices } = await ctx.client.get<{ devices: DeviceView[] }>('/v1/devices');
    if (ctx.json) {
      ctx.printJson({ devices });
      return ExitCode.ok;
    }
    const zh = ctx.language === 'zh-CN';
    ctx.print(renderTable(
      zh ? ['编号', '状态', '税控状态', '纳税人', '开票截止', '最近诊断', '连接', '任务'] : ['ID', 'STATE', 'FISCAL', 'TAXPAYER', 'DEADLINE', 'DIAGNOSIS', 'TRANSPORT', 'JOB'],
      devices.map((d) => [
        d.id, `${stateLabel(d.state, ctx.language)}${d.simulated ? (zh ? '（模拟）' : ' (sim)') : ''}`,
        d.fiscal ? fiscalStateLabel(d.fiscal.fiscalState, zh) : undefined, d.fiscal?.taxpayer?.name, d.fiscal?.issueDeadline ?? undefined,
        diagnosisLabel(d.fiscal, zh), d.transport.path, d.busyWithJob?.slice(0, 8),
      ]),
      { keep: [0, 7] },
    ));
    return ExitCode.ok;
  },
};
