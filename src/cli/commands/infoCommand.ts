import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import type { DeviceView } from '../types.js';

export const infoCommand: Command = {
  name: 'info', summary: 'Show one register', usage: 'info ID', positionals: [{ name: 'ID', required: true }],
  async run(ctx) {
    const device = await ctx.client.get<DeviceView>(`/v1/devices/${encodeURIComponent(ctx.positionals[0]!)}`);
    if (ctx.json) {
      ctx.printJson(device);
      return ExitCode.ok;
    }
    const lines: [string, string | undefined][] = [
      ['id', device.id], ['state', device.state], ['simulated', String(device.simulated)],
      ['machine number', device.identity?.machineNumber], ['model', device.identity?.model],
      ['hardware', device.identity?.hardwareRevision], ['firmware', device.identity?.firmwareVersion],
      ['bootloader', device.identity?.bootloaderVersion], ['transport', `${device.transport.path} (${device.transport.kind})`],
      ['last seen', device.lastSeenAt], ['busy with job', device.busyWithJob ?? undefined],
      ['last error', device.lastError ? `${device.lastError.code}: ${device.lastError.message}` : undefined],
    ];
    ctx.print(lines.filter(([, v]) => v !== undefined).map(([k, v]) => `${k.padEnd(15)} ${v}`).join('\n') + '\n');
    return ExitCode.ok;
  },
};
