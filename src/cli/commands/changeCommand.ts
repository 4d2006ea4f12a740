import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import type { Command, JobResultView } from '../Command.js';
import { cliText } from '../cliText.js';
import { confirmChange, printPlan } from '../confirm.js';
import { changeKindsZh } from '../output/actionLabels.js';
import { fieldLabel, fieldValue } from '../output/fieldLabels.js';
import { changeRows } from '../output/fieldRows.js';
import { renderTable } from '../output/table.js';
import { runDeviceJob } from '../runDeviceJob.js';

const kinds = ['basic-info', 'installation-info', 'invoice-approval', 'monitoring-data', 'tax-registration'] as const;

/** Option name → request field, and whether it is a number (`yuan`: typed in yuan, sent in fen as the API counts). */
const fields: Record<string, { field: string; number?: boolean; yuan?: boolean }> = {
  'taxpayer-name': { field: 'taxpayerName' }, 'taxpayer-id': { field: 'taxpayerId' }, 'declaration-mode': { field: 'declarationMode', number: true },
  address: { field: 'address' }, phone: { field: 'phone' }, contact: { field: 'contact' }, 'legal-representative': { field: 'legalRepresentative' },
  location: { field: 'location' }, installer: { field: 'installer' }, 'installed-on': { field: 'installedOn' },
  'approval-number': { field: 'approvalNumber' }, 'single-limit': { field: 'singleInvoiceLimit', yuan: true },
  'cumulative-limit': { field: 'cumulativeLimit', yuan: true }, 'return-limit': { field: 'returnLimit', yuan: true },
  'tax-registration-number': { field: 'taxRegistrationNumber' }, 'office-code': { field: 'officeCode', number: true }, note: { field: 'note' },
};

/**
 * The notes a registration change adds (src/services/changes: runChange, reconcileChange) in Chinese, amounts in
 * yuan; a note this fiscalctl does not know is 另有说明（见 --json）.
 */
export function changeNoteZh(note: string): string {
  if (note === 'the register already holds these fields: nothing was sent to it') return '收款机已有这些数据，未发送';
  if (note === 'reconciled after an interruption: the register was read back') return '中断后已核对：已回读收款机';
  const limit = /^(\w+) (\d+) fen is (in force on the fiscal card|on the user card: .*|on neither card yet: .*)$/.exec(note);
  if (limit) {
    const amount = `${fieldLabel(limit[1]!, 'zh-CN')} ${fieldValue('Limit', limit[2]!, 'zh-CN')}`;
    if (limit[3]!.startsWith('in force')) return `${amount}已在税控卡上生效`;
    if (limit[3]!.startsWith('on the user card')) return `${amount}已在用户卡上，下次监控数据更新时生效`;
    return `${amount}尚未写入任何一张卡：税务机关先写入用户卡，再经监控数据更新写入税控卡`;
  }
  return '另有说明（见 --json）';
}

interface ChangeResultView { kind: string; register: string; before: unknown; after: unknown; notes: string[] }

const changeView: JobResultView<ChangeResultView> = {
  kind: 'registration-change', resultKey: 'change',
  show(result, { language }) {
    const zh = language === 'zh-CN';
    const written = {
      'gb-link-62': zh ? '已写入收款机并回读核对' : 'written to the register (GB link 62) and read back',
      'gb-link-40': zh ? '监控数据已回写并回读核对' : 'control data written back (GB link 40) and read back',
      unchanged: zh ? '收款机已是这些数据，未发送' : 'the register already held these fields; nothing sent',
      'record-only': zh ? '已记入服务记录（收款机不保存这些数据）' : 'kept in the service record (the register holds no such data)',
    }[result.register] ?? result.register;
    const kind = zh ? changeKindsZh[result.kind] ?? result.kind : result.kind;
    const table = renderTable(zh ? ['字段', '变更前', '变更后'] : ['Field', 'Before', 'After'], changeRows(result.before, result.after, language));
    return `${kind}${zh ? '：' : ': '}${written}\n${table}${result.notes.map((n) => `  - ${zh ? changeNoteZh(n) : n}\n`).join('')}`;
  },
};

export const changeCommand: Command = {
  name: 'change', summary: 'A registration change (税控装置变更) of one kind', usage: `change ID KIND [options]   KIND: ${kinds.join(' | ')}`,
  positionals: [{ name: 'ID', required: true }, { name: 'KIND', required: true }],
  options: {
    ...Object.fromEntries(Object.keys(fields).map((name) => [name, { type: 'string' as const }])),
    'invoice-type': { type: 'string', multiple: true },
    'allow-last-pin-try': { type: 'boolean' },
    yes: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  jobView: changeView,
  help: [
    'basic-info         --taxpayer-name --declaration-mode --address --phone --contact --legal-representative [--taxpayer-id to confirm]',
    'installation-info  --location --installer [--installed-on YYYY-MM-DD]',
    'invoice-approval   --approval-number --invoice-type T (repeat) [--single-limit --cumulative-limit --return-limit, in yuan]',
    'monitoring-data    the control update after declaration and tax payment [--allow-last-pin-try]',
    'tax-registration   --tax-registration-number [--office-code] [--taxpayer-id to confirm]',
    'A new taxpayer identification number is refused: deregister, then initialize again. Every kind takes --note.',
    'Shows what it will write, then asks on a terminal; elsewhere it needs --yes. --dry-run shows it and stops.',
  ].join('\n'),
  async run(ctx) {
    const [id, kind] = ctx.positionals as [string, string];
    if (!(kinds as readonly string[]).includes(kind)) {
      throw new GatewayError('CLI_USAGE', { params: { detail: cliText(ctx.language, 'oneOf', { what: ctx.language === 'zh-CN' ? '类型' : 'KIND', value: kind, choices: kinds.join(', ') }) } });
    }
    const body: Record<string, unknown> = { kind };
    for (const [name, spec] of Object.entries(fields)) {
      const value = ctx.options[name];
      if (typeof value !== 'string') continue;
      if (spec.yuan) {
        // Yuan with at most two decimals (5000, 5000.5, 5000.50), sent as whole fen.
        if (!/^\d{1,10}(\.\d{1,2})?$/.test(value)) throw new GatewayError('CLI_USAGE', { params: { detail: cliText(ctx.language, 'yuanAmount', { option: `--${name}`, value }) } });
        const [whole, cents = ''] = value.split('.');
        body[spec.field] = Number(whole) * 100 + Number(cents.padEnd(2, '0'));
        continue;
      }
      const parsed = spec.number ? Number(value) : value;
      if (spec.number && !Number.isInteger(parsed)) throw new GatewayError('CLI_USAGE', { params: { detail: cliText(ctx.language, 'wholeNumber', { option: `--${name}`, value }) } });
      body[spec.field] = parsed;
    }
    const types = ctx.options['invoice-type'];
    if (Array.isArray(types)) body.invoiceTypes = types;
    if (ctx.options['allow-last-pin-try'] === true) body.allowLastPinTry = true;
    const zh = ctx.language === 'zh-CN';
    const shown = Object.entries(body).filter(([field]) => field !== 'kind' && field !== 'allowLastPinTry');
    const plan = [
      zh ? `收款机 ${id} 变更登记：${changeKindsZh[kind] ?? kind}` : `registration change of register ${id}: ${kind}`,
      ...shown.map(([field, value]) => `  ${fieldLabel(field, ctx.language)}${zh ? '：' : ': '}${fieldValue(field, Array.isArray(value) ? value.join(', ') : String(value), ctx.language)}`),
      zh ? '写入收款机（或税控卡）并回读核对；写入后不能自动撤回' : 'written to the register (or the fiscal card) and read back; it is not undone by itself',
    ];
    if (ctx.options['dry-run'] === true) {
      printPlan(ctx, plan);
      return ExitCode.ok;
    }
    if (!(await confirmChange(ctx, plan))) return ExitCode.failed;
    return runDeviceJob<ChangeResultView>(ctx, {
      path: `/v1/devices/${encodeURIComponent(id)}/changes`, body,
      label: { 'zh-CN': '变更任务', en: 'Change job' }, ...changeView,
    });
  },
};
