import { writeFile } from 'node:fs/promises';
import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';

const kinds = ['fault', 'not-initialized', 'repair'] as const;

interface CertificateView { title: string; form: string | null; machineNumber: string; fields: [string, string][] }

export const certificateCommand: Command = {
  name: 'certificate', summary: 'Issue a fault certificate, a not-initialized certificate (表单-10) or a repair record (表单-06)',
  summaryZh: '出具故障证明、未初始化证明（表单-10）或维修记录表（表单-06）',
  usage: 'certificate KIND ID [--format text|json|html] [--out FILE]',
  positionals: [{ name: 'KIND', required: true }, { name: 'ID', required: true }],
  options: { format: { type: 'string' }, out: { type: 'string' } },
  help: 'KIND is fault or not-initialized with ID a diagnostics report (fiscalctl diagnose), or repair with ID a repair service record.\n'
    + '--format html gives the printable A4 page (print it, sign it); --out FILE writes it to a file instead of the screen.',
  helpZh: '类别：fault、not-initialized（编号为诊断报告）或 repair（编号为维修记录）。诊断编号来自 fiscalctl diagnose；维修记录编号来自服务记录。--format html 输出可打印的 A4 页面（打印后签字）；--out 文件 写入文件。',
  async run(ctx) {
    const kind = ctx.positionals[0]!;
    if (!(kinds as readonly string[]).includes(kind)) throw new GatewayError('CLI_USAGE', { params: { detail: `certificate ${kind}: use fault, not-initialized or repair` } });
    const format = (ctx.options.format as string | undefined) ?? (ctx.json ? 'json' : 'text');
    if (!['text', 'json', 'html'].includes(format)) throw new GatewayError('CLI_USAGE', { params: { detail: `--format ${format}: use text, json or html` } });
    const path = `/v1/certificates/${kind}/${encodeURIComponent(ctx.positionals[1]!)}`;
    const out = typeof ctx.options.out === 'string' && ctx.options.out !== '' ? ctx.options.out : undefined;
    let output: string;
    if (format === 'html') output = await ctx.client.getText(`${path}?format=html`);
    else {
      const certificate = await ctx.client.get<CertificateView>(path);
      output = format === 'json'
        ? `${JSON.stringify(certificate, null, 2)}\n`
        : `${certificate.title}${certificate.form ? `（${certificate.form}）` : ''}\n${certificate.fields.map(([name, value]) => `  ${name}：${value}`).join('\n')}\n`;
    }
    if (out === undefined) ctx.print(output);
    else {
      await writeFile(out, output, { mode: 0o644 });
      ctx.print(ctx.language === 'zh-CN' ? `已写入 ${out}\n` : `Written to ${out}\n`);
    }
    return ExitCode.ok;
  },
};
