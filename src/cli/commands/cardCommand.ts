import { ExitCode } from '../../../contracts/errors/index.js';
import type { ReaderEntry } from '../../devices/readers/CardReaders.js';
import type { CardReport } from '../../services/cards/CardReport.js';
import type { Command } from '../Command.js';
import { renderTable } from '../output/table.js';
import { cardRows, kindLabels, upgradeCardSummary } from './cardLabels.js';

const readerPath = (reader: string) => `/v1/readers/${encodeURIComponent(reader)}/card`;

/** A reader's card state (GET /v1/readers) in words. */
const cardStateZh: Readonly<Record<string, string>> = { present: '有卡', absent: '无卡', unknown: '未知', mute: '无应答' };

export const cardCommand: Command = {
  name: 'card', summary: 'Show which card is in which reader or register slot, or decode the card in one', usage: 'card [READER]',
  positionals: [{ name: 'READER', required: false }],
  help: 'Without READER: every PC/SC reader and register slot, and the kind of card in each. With READER (a PC/SC reader name\n'
    + 'or DEVICE/fiscal, DEVICE/user): the card decoded; an upgrade card shows its part k of n, package, version, model and\n'
    + 'whether its data matches its digest. Reading spends no PIN try.',
  async run(ctx) {
    const zh = ctx.language === 'zh-CN';
    const reader = ctx.positionals[0];
    if (reader !== undefined) {
      const report = await ctx.client.get<CardReport>(readerPath(reader));
      if (ctx.json) ctx.printJson(report);
      else ctx.print(renderTable(zh ? ['项目', '内容'] : ['Field', 'Value'], cardRows(report, ctx.language)));
      return ExitCode.ok;
    }
    const { readers } = await ctx.client.get<{ readers: ReaderEntry[] }>('/v1/readers');
    const rows: { reader: ReaderEntry; card?: CardReport; error?: string }[] = [];
    for (const entry of readers) {
      if (entry.card !== 'present') {
        rows.push({ reader: entry });
        continue;
      }
      try {
        rows.push({ reader: entry, card: await ctx.client.get<CardReport>(readerPath(entry.name)) });
      } catch (error) {
        rows.push({ reader: entry, error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (ctx.json) {
      ctx.printJson({ readers: rows.map((r) => ({ ...r.reader, ...(r.card ? { report: r.card } : {}), ...(r.error ? { error: r.error } : {}) })) });
      return ExitCode.ok;
    }
    const headers = zh ? ['读卡器', '卡', '卡片类型', '卡号', '纳税人'] : ['Reader', 'Card', 'Kind', 'Card number', 'Taxpayer'];
    ctx.print(renderTable(headers, rows.map((r) => {
      const number = r.card?.fiscal?.cardNumber ?? r.card?.user?.cardNumber ?? r.card?.inspection?.cardNumber;
      const taxpayer = r.card?.fiscal?.taxpayer.name ?? r.card?.user?.taxpayer.name;
      const kind = r.card === undefined ? r.error : kindLabels[r.card.kind][ctx.language]
        + (r.card.upgrade === undefined ? '' : zh ? `（${upgradeCardSummary(r.card.upgrade, 'zh-CN')}）` : ` (${upgradeCardSummary(r.card.upgrade, 'en')})`);
      return [r.reader.name, zh ? cardStateZh[r.reader.card] ?? '未知' : r.reader.card, kind, number, taxpayer];
    })));
    return ExitCode.ok;
  },
};
