import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
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
    ctx.print(renderTable(
      ['ID', 'STATE', 'MODEL', 'FIRMWARE', 'TRANSPORT', 'JOB'],
      devices.map((d) => [d.id, `${d.state}${d.simulated ? ' (sim)' : ''}`, d.identity?.model, d.identity?.firmwareVersion, d.transport.path, d.busyWithJob]),
    ));
    return ExitCode.ok;
  },
};
