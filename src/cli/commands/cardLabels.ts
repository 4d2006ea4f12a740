import type { PinTriesUnknownReason } from '../../../protocols/gb18240-card/pinTries.js';
import type { CardReport, FiscalCardReport, UpgradeCardReport } from '../../services/cards/CardReport.js';

type Texts = Readonly<{ 'zh-CN': string; en: string }>;

/** Row labels of `fiscalctl card`, in both languages. */
export const cardLabels = {
  reader: { 'zh-CN': '读卡器', en: 'Reader' },
  kind: { 'zh-CN': '卡片类型', en: 'Card' },
  card: { 'zh-CN': '卡号', en: 'Card number' },
  machine: { 'zh-CN': '机器编号', en: 'Machine number' },
  taxpayerNumber: { 'zh-CN': '纳税人编码', en: 'Taxpayer number' },
  taxpayerId: { 'zh-CN': '纳税人识别号', en: 'Taxpayer id' },
  taxpayerName: { 'zh-CN': '纳税人名称', en: 'Taxpayer name' },
  office: { 'zh-CN': '主管税务机关代码', en: 'Tax office' },
  validity: { 'zh-CN': '有效期', en: 'Valid' },
  registered: { 'zh-CN': '注册状态', en: 'Registration' },
  deadline: { 'zh-CN': '开票截止日期', en: 'Issue deadline' },
  single: { 'zh-CN': '单张发票限额（元）', en: 'Single-invoice limit (yuan)' },
  cumulative: { 'zh-CN': '累计限额（元）', en: 'Cumulative limit (yuan)' },
  returns: { 'zh-CN': '退票限额（元）', en: 'Return limit (yuan)' },
  pinTries: { 'zh-CN': '口令剩余次数', en: 'PIN tries left' },
  taxItems: { 'zh-CN': '税种税目', en: 'Tax items' },
  rolls: { 'zh-CN': '发票卷', en: 'Invoice rolls' },
  machines: { 'zh-CN': '登记的机器', en: 'Machines' },
  declarations: { 'zh-CN': '待处理申报', en: 'Pending declarations' },
  holder: { 'zh-CN': '持卡人', en: 'Holder' },
  problems: { 'zh-CN': '未能读取', en: 'Not readable' },
  upgradeState: { 'zh-CN': '升级卡内容', en: 'Content' },
  capacity: { 'zh-CN': '容量（字节）', en: 'Capacity (bytes)' },
  part: { 'zh-CN': '分卡', en: 'Part' },
  packageId: { 'zh-CN': '升级包', en: 'Package' },
  version: { 'zh-CN': '版本', en: 'Version' },
  model: { 'zh-CN': '型号', en: 'Model' },
  dataLength: { 'zh-CN': '数据长度（字节）', en: 'Data (bytes)' },
  dataCheck: { 'zh-CN': '数据校验', en: 'Data check' },
} as const satisfies Record<string, Texts>;

export const kindLabels: Readonly<Record<CardReport['kind'], Texts>> = {
  fiscal: { 'zh-CN': '税控卡', en: 'fiscal card' },
  user: { 'zh-CN': '用户卡', en: 'user card' },
  inspection: { 'zh-CN': '稽查卡', en: 'inspection card' },
  upgrade: { 'zh-CN': '升级卡', en: 'upgrade card' },
  unknown: { 'zh-CN': '未知卡', en: 'unknown card' },
};

const upgradeStates: Readonly<Record<UpgradeCardReport['state'], Texts>> = {
  written: { 'zh-CN': '已写入升级包的一部分', en: 'a part of a package' },
  blank: { 'zh-CN': '空白', en: 'blank' },
  foreign: { 'zh-CN': '不是本网关的升级卡格式', en: 'not this gateway\'s upgrade-card layout' },
  damaged: { 'zh-CN': '卡头损坏或前后矛盾', en: 'damaged or inconsistent header' },
};

/** An upgrade card's content, one phrase (the card list's kind column): part k of n of version V, or its state. */
export function upgradeCardSummary(upgrade: UpgradeCardReport, language: 'zh-CN' | 'en'): string {
  const h = upgrade.header;
  if (h === undefined) return upgradeStates[upgrade.state][language];
  return language === 'zh-CN' ? `第 ${h.part}/${h.parts} 张，${h.model} ${h.version}` : `part ${h.part} of ${h.parts}, ${h.model} ${h.version}`;
}

function upgradeRows(upgrade: UpgradeCardReport, language: 'zh-CN' | 'en'): [string, string][] {
  const l = (key: keyof typeof cardLabels) => cardLabels[key][language];
  const zh = language === 'zh-CN';
  const rows: [string, string][] = [[l('upgradeState'), upgradeStates[upgrade.state][language]], [l('capacity'), String(upgrade.capacity)]];
  const h = upgrade.header;
  if (h === undefined) return rows;
  const anyMachine = /^0+$/.test(h.machineNumber);
  rows.push(
    [l('part'), zh ? `第 ${h.part} 张，共 ${h.parts} 张` : `${h.part} of ${h.parts}`],
    [l('packageId'), h.packageId], [l('version'), h.version], [l('model'), h.model],
    [l('machine'), anyMachine ? (zh ? '该型号的任意收款机' : 'any register of the model') : h.machineNumber],
    [l('dataLength'), zh ? `${h.dataLength}（升级包第 ${h.dataOffset} 字节起，升级包共 ${h.packageLength} 字节）` : `${h.dataLength} (from byte ${h.dataOffset} of a ${h.packageLength}-byte package)`],
    [l('dataCheck'), upgrade.dataVerified === true ? (zh ? '通过：数据与卡头中的摘要一致' : 'verified: the data matches the header\'s digest') : (zh ? '未通过：数据与卡头中的摘要不符' : 'failed: the data does not match the header\'s digest')],
  );
  return rows;
}

const registrationLabels: Readonly<Record<FiscalCardReport['registration'], Texts>> = {
  registered: { 'zh-CN': '已注册', en: 'registered' },
  'not-registered': { 'zh-CN': '未注册', en: 'not registered' },
  uncertain: { 'zh-CN': '不确定（注册标志无法与卡片其他信息核对）', en: 'uncertain (the registration flag is not confirmed by anything else on the card)' },
};

const unknownTries: Readonly<Record<PinTriesUnknownReason, Texts>> = {
  'not-told': { 'zh-CN': '未知（卡片不告知）', en: 'unknown (the card does not tell)' },
  verified: { 'zh-CN': '未知（口令已校验，卡片未给次数）', en: 'unknown (PIN verified, the card gives no count)' },
  'not-registered': { 'zh-CN': '无（卡片尚无口令）', en: 'none (the card holds no PIN yet)' },
  'not-asked': { 'zh-CN': '未查询', en: 'not asked' },
};

/** The PIN tries for people: the count, or why it is unknown; never a guess. */
export function pinTriesText(tries: FiscalCardReport['pinTries'], language: 'zh-CN' | 'en'): string {
  if (!tries.known) return unknownTries[tries.reason][language];
  if (tries.left === 0) return language === 'zh-CN' ? '0（已锁定）' : '0 (locked)';
  return String(tries.left);
}

/** The report as label/value rows for a two-column table. */
export function cardRows(report: CardReport, language: 'zh-CN' | 'en'): [string, string][] {
  const l = (key: keyof typeof cardLabels) => cardLabels[key][language];
  const zh = language === 'zh-CN';
  const rows: [string, string][] = [[l('reader'), report.reader], [l('kind'), kindLabels[report.kind][language]]];
  const f = report.fiscal;
  if (f !== undefined) {
    rows.push(
      [l('card'), f.cardNumber], [l('machine'), f.machineNumber], [l('taxpayerNumber'), f.taxpayer.number], [l('taxpayerId'), f.taxpayer.id],
      [l('taxpayerName'), f.taxpayer.name], [l('office'), String(f.officeCode)], [l('validity'), `${f.applicationStart} … ${f.validUntil}`],
      [l('registered'), registrationLabels[f.registration][language]],
      [l('deadline'), f.monitoring.issueDeadline], [l('single'), f.monitoring.singleInvoice.yuan], [l('cumulative'), f.monitoring.cumulative.yuan],
      [l('returns'), f.monitoring.returns.yuan], [l('pinTries'), pinTriesText(f.pinTries, language)],
    );
    for (const r of f.rolls) rows.push([l('rolls'), `${r.invoiceCode} ${r.start}–${r.end} (${r.state})`]);
    for (const d of f.declarations) rows.push([l('declarations'), `${d.periodStart} … ${d.periodEnd} ${d.validTotal.yuan}`]);
  }
  const u = report.user;
  if (u !== undefined) {
    rows.push(
      [l('card'), u.cardNumber], [l('taxpayerNumber'), u.taxpayer.number], [l('taxpayerId'), u.taxpayer.id], [l('taxpayerName'), u.taxpayer.name],
      [l('office'), String(u.officeCode)], [l('validity'), `${u.applicationStart} … ${u.validUntil}`],
    );
    for (const t of u.taxItems) rows.push([l('taxItems'), `${t.index} ${t.itemCode} ${zh ? t.nameZh : t.nameEn} ${t.rate.percent}%`]);
    for (const c of u.controls) {
      rows.push([l('deadline'), `${c.fiscalCardNumber}: ${c.issueDeadline}, ${c.singleInvoice.yuan} / ${c.cumulative.yuan} / ${c.returns.yuan}`]);
    }
    for (const m of u.machines) rows.push([l('machines'), `${m.machineNumber} / ${m.fiscalCardNumber}`]);
    for (const r of u.purchasedRolls) rows.push([l('rolls'), `${r.invoiceCode} ${r.start}–${r.end} × ${r.rollCount}`]);
    for (const d of u.pendingDeclarations) rows.push([l('declarations'), `${d.fiscalCardNumber} ${d.periodStart} … ${d.periodEnd} ${d.validTotal.yuan}`]);
  }
  const i = report.inspection;
  if (i !== undefined) rows.push([l('card'), i.cardNumber], [l('office'), String(i.officeCode)], [l('validity'), i.validUntil], [l('holder'), i.holderName]);
  if (report.upgrade !== undefined) rows.push(...upgradeRows(report.upgrade, language));
  for (const p of report.problems) rows.push([l('problems'), `${p.part}: ${zh ? p.messageZh : p.message}`]);
  return rows;
}
