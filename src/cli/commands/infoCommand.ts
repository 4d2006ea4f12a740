import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import { displayTime } from '../output/displayTime.js';
import { stateLabel } from '../output/stateLabels.js';
import { cardsLabel, diagnosisLabel, fiscalStateLabel } from '../output/fiscalLabels.js';
import { renderTable } from '../output/table.js';
import type { DeviceView } from '../types.js';

/** How a register is connected (the registry's transport kinds) in words. */
const transportZh: Readonly<Record<string, string>> = { serial: '串口', usb: 'USB', hid: 'USB HID', memory: '模拟' };

export const infoCommand: Command = {
  name: 'info', summary: 'Show one register', usage: 'info ID', positionals: [{ name: 'ID', required: true }],
  async run(ctx) {
    const device = await ctx.client.get<DeviceView>(`/v1/devices/${encodeURIComponent(ctx.positionals[0]!)}`);
    if (ctx.json) {
      ctx.printJson(device);
      return ExitCode.ok;
    }
    const zh = ctx.language === 'zh-CN';
    const rows: [string, string, string | undefined][] = [
      ['编号', 'id', device.id], ['状态', 'state', stateLabel(device.state, ctx.language)], ['模拟', 'simulated', zh ? (device.simulated ? '是' : '否') : String(device.simulated)],
      ['机器编号', 'machine number', device.identity?.machineNumber], ['型号', 'model', device.identity?.model],
      ['硬件版本', 'hardware', device.identity?.hardwareRevision], ['固件版本', 'firmware', device.identity?.firmwareVersion],
      ['引导程序', 'bootloader', device.identity?.bootloaderVersion], ['连接', 'transport', zh ? `${device.transport.path}（${transportZh[device.transport.kind] ?? '其他'}）` : `${device.transport.path} (${device.transport.kind})`],
      ['税控状态', 'fiscal state', device.fiscal ? fiscalStateLabel(device.fiscal.fiscalState, zh) : undefined],
      ['纳税人', 'taxpayer', device.fiscal?.taxpayer ? `${device.fiscal.taxpayer.name}（${device.fiscal.taxpayer.id}）` : undefined],
      ['开票截止日期', 'issue deadline', device.fiscal?.issueDeadline ?? undefined],
      ['最近诊断', 'last diagnosis', device.fiscal?.lastDiagnosis ? `${displayTime(device.fiscal.lastDiagnosis.at)} ${diagnosisLabel(device.fiscal, zh)}` : undefined],
      ['最近备份', 'last backup', device.fiscal?.lastBackup ? `${displayTime(device.fiscal.lastBackup.at)}${device.fiscal.lastBackup.backupId ? ` ${device.fiscal.lastBackup.backupId}` : ''}` : undefined],
      ['卡片', 'cards', cardsLabel(device.fiscal, zh)],
      ['最近应答', 'last seen', displayTime(device.lastSeenAt)], ['正在执行', 'busy with job', device.busyWithJob ?? undefined],
      ['最近错误', 'last error', device.lastError ? `${device.lastError.code}: ${device.lastError.message}` : undefined],
    ];
    ctx.print(renderTable(zh ? ['项目', '内容'] : ['Field', 'Value'], rows.filter(([, , v]) => v !== undefined).map(([z, e, v]) => [zh ? z : e, v])));
    return ExitCode.ok;
  },
};
