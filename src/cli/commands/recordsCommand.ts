import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import { displayTime } from '../output/displayTime.js';
import { stateLabel } from '../output/stateLabels.js';
import { renderTable } from '../output/table.js';
import type { ServiceRecordView } from '../types.js';

export const recordsCommand: Command = {
  name: 'records', summary: 'Service records (维修记录), filtered by device and dates; CSV for export',
  usage: 'records [--device ID] [--since DATE] [--until DATE] [--format table|json|csv]', positionals: [],
  options: { device: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string' } },
  help: 'DATE is ISO-8601 (2026-03-01 or 2026-03-01T08:00:00+08:00); a bare --until date includes that day. The table shows\n'
    + 'local times and short job ids; --format json (or --json) and csv carry everything.',
  async run(ctx) {
    const format = (ctx.options.format as string | undefined) ?? (ctx.json ? 'json' : 'table');
    if (!['table', 'json', 'csv'].includes(format)) throw new GatewayError('CLI_USAGE', { params: { detail: `--format ${format}: use table, json or csv` } });
    if (ctx.json && format === 'csv') throw new GatewayError('CLI_USAGE', { params: { detail: '--json and --format csv exclude each other' } });
    const query = new URLSearchParams();
    for (const name of ['device', 'since', 'until'] as const) {
      const value = ctx.options[name];
      if (typeof value === 'string') query.set(name, value);
    }
    if (format === 'csv') {
      query.set('format', 'csv');
      ctx.print(await ctx.client.getText(`/v1/records?${query}`));
      return ExitCode.ok;
    }
    const { records } = await ctx.client.get<{ records: ServiceRecordView[] }>(`/v1/records${query.size ? `?${query}` : ''}`);
    if (format === 'json') {
      ctx.printJson({ records });
      return ExitCode.ok;
    }
    const zh = ctx.language === 'zh-CN';
    // The job id is shortened: the table is for reading; --format json or csv carries it whole.
    ctx.print(renderTable(
      zh ? ['时间', '设备', '操作', '结果', '操作员', '任务'] : ['TIME', 'DEVICE', 'ACTION', 'RESULT', 'OPERATOR', 'JOB'],
      records.map((r) => [displayTime(r.at), r.machineNumber ?? r.deviceId, r.action, stateLabel(r.result, ctx.language), r.operator, r.jobId && `${r.jobId.slice(0, 8)}…`]),
      { keep: [0, 1], notes: records.map((r) => r.errorCode) },
    ));
    return ExitCode.ok;
  },
};
