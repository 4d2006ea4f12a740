import { ExitCode } from '../../../contracts/errors/index.js';
import { exitCodeOf } from '../exitCodeOf.js';
import type { InitializationCheck } from '../../services/initialize/InitializationCheck.js';
import type { Command } from '../Command.js';
import { confirmChange } from '../confirm.js';
import { checkValue } from '../../api/checkValues.js';
import { readBackLabel, readBackValue } from '../output/fieldLabels.js';
import { renderTable } from '../output/table.js';
import type { JobView } from '../types.js';
import { describeEnd, jobExitCode, watchJob } from '../watchJob.js';

interface DryRun {
  ok: boolean;
  plan: string;
  machineNumber: string;
  checks: InitializationCheck[];
  error?: { code: string; message: { 'zh-CN': string; en: string }; remedy?: { 'zh-CN': string; en: string } };
  confirmation?: { token: string; expiresAt: string };
}

const plans: Record<string, { 'zh-CN': string; en: string }> = {
  fresh: { 'zh-CN': '全新初始化', en: 'fresh initialization' },
  write: { 'zh-CN': '继续上次中断的初始化：写入收款机', en: 'resuming an interrupted run at writing the register' },
  verify: { 'zh-CN': '继续上次中断的初始化：回读校验', en: 'resuming an interrupted run at the read-back' },
  none: { 'zh-CN': '无法初始化', en: 'cannot initialize' },
};

function checkTable(checks: readonly InitializationCheck[], language: 'zh-CN' | 'en'): string {
  const zh = language === 'zh-CN';
  const mark = (c: InitializationCheck) => (c.passed ? (zh ? '通过' : 'ok') : c.skipped ? (zh ? '未查' : 'skip') : (zh ? '未通过' : 'FAIL'));
  return renderTable(zh ? ['结果', '检查', '期望', '实际', '说明'] : ['Result', 'Check', 'Expected', 'Actual', 'Note'],
    checks.map((c) => [mark(c), c.title[language], checkValue(c.expected, language), checkValue(c.actual, language), c.passed && c.message.en === 'Passed' ? '' : c.message[language]]));
}

export const initCommand: Command = {
  name: 'init', summary: 'Fiscal initialization (税控初始化): check everything, then with --yes initialize', usage: 'init ID [--yes] [--dry-run] [--fiscal-reader READER] [--user-reader READER] [--allow-last-pin-try] [--resend-pin]',
  positionals: [{ name: 'ID', required: true }],
  options: {
    yes: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    'fiscal-reader': { type: 'string' },
    'user-reader': { type: 'string' },
    'allow-last-pin-try': { type: 'boolean' },
    'resend-pin': { type: 'boolean' },
  },
  help: 'Runs the dry run (every check, nothing changed) and prints the check list. With every check passed it asks on a\n'
    + 'terminal (elsewhere it needs --yes), then initializes; --dry-run stops after the check list. It then\n'
    + 'initializes: mutual authentication, GB link 30, read-back verified field by field. --fiscal-reader/--user-reader name\n'
    + 'PC/SC readers holding the cards (default: the register\'s slots). --allow-last-pin-try lets a resumed run make the register\n'
    + 'verify the fiscal PIN on the card\'s last try. --resend-pin sends again a PIN an interrupted GB link 30 may have\n'
    + 'used (it spends a try if the card rotated it; INIT_PIN_IN_DOUBT says when). Exit code 3 when a check fails.',
  async run(ctx) {
    const id = ctx.positionals[0]!;
    const zh = ctx.language === 'zh-CN';
    const path = `/v1/devices/${encodeURIComponent(id)}/initialize`;
    const readers = {
      ...(typeof ctx.options['fiscal-reader'] === 'string' ? { fiscalReader: ctx.options['fiscal-reader'] } : {}),
      ...(typeof ctx.options['user-reader'] === 'string' ? { userReader: ctx.options['user-reader'] } : {}),
      ...(ctx.options['allow-last-pin-try'] === true ? { allowLastPinTry: true } : {}),
      ...(ctx.options['resend-pin'] === true ? { resendPin: true } : {}),
    };
    const dry = await ctx.client.post<DryRun>(path, readers);
    const exitOfDry = dry.ok ? ExitCode.ok : exitCodeOf(dry.error?.code, ExitCode.refused);
    const planLine = `${zh ? '机器' : 'Machine'} ${dry.machineNumber}: ${plans[dry.plan]?.[ctx.language] ?? dry.plan}`;
    if (dry.ok && ctx.options['dry-run'] !== true && ctx.options.yes !== true) {
      // Neither --dry-run nor --yes: show the checks and ask (a terminal), or refuse naming --yes.
      if (ctx.io.ask && !ctx.json) ctx.io.stderr.write(`${planLine}\n${checkTable(dry.checks, ctx.language)}`);
      else if (!ctx.json) ctx.print(`${planLine}\n${checkTable(dry.checks, ctx.language)}`);
      const plan = [zh ? `税控初始化收款机 ${dry.machineNumber}：双向认证，写入税控数据，逐项回读核对（不可撤销）` : `fiscally initialize register ${dry.machineNumber}: mutual authentication, write the fiscal data, read it back field by field (cannot be undone)`];
      if (!(await confirmChange(ctx, plan))) return ExitCode.failed;
    } else if (!dry.ok || ctx.options.yes !== true) {
      if (ctx.json) {
        const { confirmation: _token, ...shown } = dry;
        ctx.printJson({ dryRun: shown });
        return exitOfDry;
      }
      const lines = [planLine, checkTable(dry.checks, ctx.language)];
      if (dry.error) {
        lines.push(`${dry.error.code}: ${dry.error.message[ctx.language]}`);
        if (dry.error.remedy) lines.push(`  → ${dry.error.remedy[ctx.language]}`);
      } else {
        lines.push(zh ? '全部检查通过。加上 --yes 执行初始化。' : 'Every check passed. Add --yes to initialize.');
      }
      ctx.print(`${lines.join('\n')}\n`);
      return exitOfDry;
    } else if (!ctx.json) ctx.io.stderr.write(checkTable(dry.checks, ctx.language));
    const started = await ctx.client.post<{ job: JobView }>(path, { ...readers, confirm: dry.confirmation!.token });
    if (!ctx.json) ctx.io.stderr.write(zh ? `初始化任务 ${started.job.id}\n` : `Initialization job ${started.job.id}\n`);
    const job = await watchJob(ctx, started.job.id);
    if (ctx.json) {
      ctx.printJson({ job });
      return jobExitCode(job);
    }
    if (job.state !== 'succeeded') {
      ctx.print(describeEnd(job, ctx.language));
      const data = (job.error as { data?: { changed?: { 'zh-CN': string; en: string }; cause?: { message: { 'zh-CN': string; en: string } }; triesLeft?: number | null } } | null)?.data;
      if (data?.cause) ctx.print(`  ${zh ? '原因' : 'Cause'}: ${data.cause.message[ctx.language]}\n`);
      if (typeof data?.triesLeft === 'number') ctx.print(`  ${zh ? '税控卡口令剩余次数' : 'Fiscal card PIN tries left'}: ${data.triesLeft}\n`);
      if (data?.changed) ctx.print(`  ${data.changed[ctx.language]}\n`);
      return jobExitCode(job);
    }
    const result = job.result as { machineNumber: string; fiscalCardNumber: string; taxpayerName: string; initializationDate: string; readBack: { field: string; expected: string; actual: string; matches: boolean }[] };
    ctx.print(zh
      ? `初始化完成：${result.machineNumber} ${result.taxpayerName}（税控卡 ${result.fiscalCardNumber}，${result.initializationDate}）\n`
      : `Initialized: ${result.machineNumber} ${result.taxpayerName} (${result.fiscalCardNumber}, ${result.initializationDate})\n`);
    ctx.print(renderTable(zh ? ['回读字段', '卡片数据', '收款机', '一致'] : ['Read-back field', 'Card data', 'Register', 'Match'],
      result.readBack.map((f) => [readBackLabel(f.field, ctx.language), readBackValue(String(f.expected), ctx.language), readBackValue(String(f.actual), ctx.language),
        f.matches ? (zh ? '一致' : 'ok') : (zh ? '不一致' : 'NO')])));
    return ExitCode.ok;
  },
};
