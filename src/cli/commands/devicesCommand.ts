import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import { stateLabel } from '../output/stateLabels.js';
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
      zh ? ['编号', '状态', '型号', '固件', '连接', '任务'] : ['ID', 'STATE', 'MODEL', 'FIRMWARE', 'TRANSPORT', 'JOB'],
      devices.map((d) => [
        d.id, `${stateLabel(d.state, ctx.language)}${d.simulated ? (zh ? '（模拟）' : ' (sim)') : ''}`, d.identity?.model, d.identity?.firmwareVersion, d.transport.path, d.busyWithJob,
      ]),
      { keep: [0, 5] },
    ));
    return ExitCode.ok;
  },
};
