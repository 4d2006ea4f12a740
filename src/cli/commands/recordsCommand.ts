import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import { actionLabel } from '../output/actionLabels.js';
import { displayTime } from '../output/displayTime.js';
import { recordsCsv } from '../output/recordsCsv.js';
import { stateLabel } from '../output/stateLabels.js';
import { renderTable } from '../output/table.js';
import type { ServiceRecordView } from '../types.js';

const actionLabels: Readonly<Record<string, { zh: string }>> = {
  repair: { zh: '维修' }, upgrade: { zh: '升级' }, initialize: { zh: '初始化' }, deregister: { zh: '注销' },
};

export const recordsCommand: Command = {
  name: 'records', summary: 'Service records (维修记录), filtered by device and dates; CSV for export',
  usage: 'records [--device ID] [--since DATE] [--until DATE] [--format table|json|csv] | --follow-ups [--all] | --follow-up-done RECORD --outcome TEXT | --report [--month YYYY-MM] [--format table|json|csv|html|export]',
  positionals: [],
  options: {
    device: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string' },
    'follow-ups': { type: 'boolean' }, all: { type: 'boolean' }, 'follow-up-done': { type: 'string' }, outcome: { type: 'string' },
    report: { type: 'boolean' }, month: { type: 'string' },
  },
  help: 'DATE is ISO-8601 (2026-03-01 or 2026-03-01T08:00:00+08:00); a bare --until date includes that day. The table shows\n'
    + 'the register\'s local times and short job ids; csv has one value per cell (names in the chosen language, local\n'
    + 'times to the second, whole ids); --format json (or --json) carries everything, what each record changed too.\n'
    + '--follow-ups lists follow-ups due or overdue (--all: every one); --follow-up-done RECORD --outcome TEXT records one done.\n'
    + '--report summarises a month (default last month) for the tax authority: table, json, csv, html (printable) or export.',
  async run(ctx) {
    if (ctx.options['follow-ups'] === true) return listFollowUps(ctx);
    if (typeof ctx.options['follow-up-done'] === 'string') return followUpDone(ctx);
    if (ctx.options.report === true) return showReport(ctx);
    const format = (ctx.options.format as string | undefined) ?? (ctx.json ? 'json' : 'table');
    if (!['table', 'json', 'csv'].includes(format)) throw new GatewayError('CLI_USAGE', { params: { detail: `--format ${format}: use table, json or csv` } });
    if (ctx.json && format === 'csv') throw new GatewayError('CLI_USAGE', { params: { detail: '--json and --format csv exclude each other' } });
    const query = new URLSearchParams();
    for (const name of ['device', 'since', 'until'] as const) {
      const value = ctx.options[name];
      if (typeof value === 'string') query.set(name, value);
    }
    const { records } = await ctx.client.get<{ records: ServiceRecordView[] }>(`/v1/records${query.size ? `?${query}` : ''}`);
    if (format === 'csv') {
      ctx.print(recordsCsv(records, ctx.language));
      return ExitCode.ok;
    }
    if (format === 'json') {
      ctx.printJson({ records });
      return ExitCode.ok;
    }
    const zh = ctx.language === 'zh-CN';
    // The job id is shortened: the table is for reading; --format json or csv carries it whole.
    ctx.print(renderTable(
      zh ? ['时间', '设备', '操作', '结果', '操作员', '任务'] : ['TIME', 'DEVICE', 'ACTION', 'RESULT', 'OPERATOR', 'JOB'],
      records.map((r) => [displayTime(r.at), r.machineNumber ?? r.deviceId, actionLabel(r.action, ctx.language), stateLabel(r.result, ctx.language), r.operator, r.jobId && `${r.jobId.slice(0, 8)}…`]),
      { keep: [0, 1], notes: records.map((r) => r.errorCode) },
    ));
    return ExitCode.ok;
  },
};

type Ctx = Parameters<Command['run']>[0];

const followUpStates: Record<string, string> = { open: '未到期', due: '今日到期', overdue: '已逾期', done: '已按时回访', 'done-late': '逾期后回访' };

async function listFollowUps(ctx: Ctx): Promise<ExitCode> {
  const query = new URLSearchParams({ state: ctx.options.all === true ? 'all' : 'pending' });
  if (typeof ctx.options.device === 'string') query.set('device', ctx.options.device);
  const { followUps } = await ctx.client.get<{ followUps: FollowUpView[] }>(`/v1/records/follow-ups?${query}`);
  if (ctx.json) {
    ctx.printJson({ followUps });
    return ExitCode.ok;
  }
  const zh = ctx.language === 'zh-CN';
  ctx.print(renderTable(
    zh ? ['记录', '设备', '业务', '办理时间', '回访期限', '状态', '回访结果'] : ['RECORD', 'DEVICE', 'ACTION', 'AT', 'DUE', 'STATE', 'OUTCOME'],
    followUps.map((f) => [String(f.recordId), f.machineNumber ?? f.deviceId, zh ? actionLabels[f.action]?.zh ?? f.action : f.action, displayTime(f.at), f.due,
      zh ? followUpStates[f.state] ?? f.state : f.state, f.done?.outcome]),
    { keep: [0, 4] },
  ));
  return ExitCode.ok;
}

async function followUpDone(ctx: Ctx): Promise<ExitCode> {
  const outcome = ctx.options.outcome;
  if (typeof outcome !== 'string' || outcome.length === 0) throw new GatewayError('CLI_USAGE', { params: { detail: '--follow-up-done needs --outcome TEXT' } });
  const record = Number(ctx.options['follow-up-done']);
  const followUp = await ctx.client.post<FollowUpView>(`/v1/records/${record}/follow-up`, { outcome });
  if (ctx.json) ctx.printJson(followUp);
  else ctx.print(ctx.language === 'zh-CN' ? `已登记回访：记录 ${record}（${followUpStates[followUp.state] ?? followUp.state}）\n` : `Follow-up recorded for record ${record} (${followUp.state})\n`);
  return ExitCode.ok;
}

async function showReport(ctx: Ctx): Promise<ExitCode> {
  const format = (ctx.options.format as string | undefined) ?? (ctx.json ? 'json' : 'table');
  if (!['table', 'json', 'csv', 'html', 'export'].includes(format)) throw new GatewayError('CLI_USAGE', { params: { detail: `--format ${format}: use table, json, csv, html or export` } });
  const query = new URLSearchParams();
  if (typeof ctx.options.month === 'string') query.set('month', ctx.options.month);
  if (format === 'csv' || format === 'html') {
    query.set('format', format);
    ctx.print(await ctx.client.getText(`/v1/records/report?${query}`));
    return ExitCode.ok;
  }
  if (format === 'export') query.set('format', 'export');
  const report = await ctx.client.get<ReportView>(`/v1/records/report${query.size ? `?${query}` : ''}`);
  if (format !== 'table') {
    ctx.printJson(report);
    return ExitCode.ok;
  }
  const zh = ctx.language === 'zh-CN';
  const f = report.followUps;
  const lines = [
    zh ? `${report.month} 服务情况：业务 ${report.totals.operations} 次，收款机 ${report.totals.registers} 台，重复故障 ${report.repeats} 次`
      : `${report.month} service: ${report.totals.operations} operations on ${report.totals.registers} registers, ${report.repeats} repeat faults`,
    zh ? `回访：应回访 ${f.due} 次，按时 ${f.keptOnTime} 次，逾期 ${f.late} 次，未回访 ${f.missing} 次`
      : `Follow-ups: ${f.due} due, ${f.keptOnTime} on time, ${f.late} late, ${f.missing} missing`,
    renderTable(
      zh ? ['业务', '合计', '成功', '失败', '已取消', '中断'] : ['ACTION', 'TOTAL', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'],
      report.byAction.map((row) => [zh ? row.zh : row.action, String(row.total), ...(['succeeded', 'failed', 'cancelled', 'interrupted'] as const).map((r) => String(row.results[r] ?? 0))]),
    ),
  ];
  ctx.print(lines.join('\n'));
  return ExitCode.ok;
}

interface FollowUpView {
  recordId: number; action: string; deviceId: string; machineNumber: string | null; at: string; due: string; state: string;
  done: { outcome: string } | null;
}
interface ReportView {
  month: string; totals: { operations: number; registers: number }; repeats: number;
  followUps: { due: number; keptOnTime: number; late: number; missing: number };
  byAction: { action: string; zh: string; total: number; results: Record<string, number> }[];
}
