/**
 * The words of a job's progress detail (the `detail` of its `progress` events) in both languages.
 *
 * Services write the detail in English (`ctx.progress(0.2, 'package X verified')`); the services stay as they are
 * and this catalogue holds each detail's form as a template with its Chinese beside it. A detail is matched against
 * the English templates and said again in the chosen language with the same parameters. In Chinese a detail no
 * template knows is left out (null), never shown in English. `test/unit/cli/progressDetails.test.ts` finds every
 * literal detail the services write and fails when one has no template here.
 *
 * Placeholders: `{name}` one token without spaces, `{name#}` digits only, `{name*}` any text. Parameters named
 * `kind` (install kind), `state` (a copy on a stick) and `card` (an upgrade card's number) are said in words.
 * Used by fiscalctl and the console.
 */
export type DetailLanguage = 'zh-CN' | 'en';

const templates: readonly (readonly [en: string, zh: string])[] = [
  // registration changes, rolls, initialization, deregistration
  ['checked', '已检查'],
  ['verified', '已核对'],
  ['mounted', '已装载'],
  ['ready to distribute', '准备分发'],
  ['roll {roll*}', '发票卷 {roll}'],
  ['mounting roll {roll*} left by an earlier run', '装载上次留下的发票卷 {roll}'],
  ['GET_REGISTER_NB', '已取得注册号'],
  ['REGISTER_SIGN', '已完成注册签名'],
  ['TERMINAL_REGISTER', '已向收款机写入注册信息'],
  ['GB link 30', '已执行初始化命令'],
  ['read-back verified', '已回读核对'],
  ['the PIN could not be kept on disk ({code}); writing the register at once', '口令未能保存到磁盘（{code}），立即写入收款机'],
  ['the written state could not be checkpointed ({code})', '已写入的状态未能记入检查点（{code}）'],
  ['backup {id} reused', '沿用备份 {id}'],
  ['backup {id} made', '已做备份 {id}'],
  ['final state read', '已读取最终状态'],
  ['fiscal card powered off', '税控卡已断电'],
  ['service record written', '服务记录已写入'],
  // backup (records read of those expected) and the backup gate of another operation
  ['{read#} / {total#}', '已读 {read} / {total} 条'],
  ['{read#}', '已读 {read} 条'],
  ['backup {read#} / {total#}', '备份已读 {read} / {total} 条'],
  // restore
  ['taxpayer ({command#})', '纳税人信息（{command}）'],
  // firmware upgrade
  ['package {id} verified', '升级包 {id} 已校验'],
  ['{kind} {from} → {to} allowed', '版本规则允许{kind}：{from} → {to}'],
  ['backup {id} verified', '备份 {id} 已校验'],
  ['transfer begins', '开始传送固件'],
  ['{offset#} of {total#} bytes written', '已写入 {offset} / {total} 字节'],
  ['the register\'s digest of the whole image matches the package', '收款机算出的整个固件摘要与升级包一致'],
  ['the register runs {version}', '收款机正在运行版本 {version}'],
  ['{version} verified and confirmed', '{version} 已核对并确认'],
  ['not confirmed: waiting for the register to go back to its old image', '未确认：等待收款机退回旧版本'],
  ['the register is busy, {elapsed#} s of an expected {expected#} s', '收款机忙，已等 {elapsed} 秒，预计 {expected} 秒'],
  ['the expected time has passed: looking again', '已超过预计时间，再查看一次'],
  ['the link failed while verifying: reading the register again', '核对时通信中断：重新读取收款机状态'],
  ['the register already runs {version} on trial', '收款机已在试运行 {version}'],
  // upgrade by IC card
  ['the cards are with the technician', '升级卡在技术员手中'],
  ['writing upgrade cards in reader {reader*}', '在读卡器 {reader} 中写升级卡'],
  ['upgrade {card*} already held its part: read back and verified', '升级卡{card}已有其部分：已回读核对'],
  ['upgrade {card*} written, read back and verified', '升级卡{card}已写入、回读并核对'],
  ['upgrade {card*} already holds its part: {read#} of {total#} bytes read back', '升级卡{card}已有其部分：已回读 {read} / {total} 字节'],
  ['upgrade {card*}: {offset#} of {total#} bytes written ({chunk#} per APDU)', '升级卡{card}：已写入 {offset} / {total} 字节（每条命令 {chunk} 字节）'],
  ['upgrade {card*}: {read#} of {total#} bytes read back', '升级卡{card}：已回读 {read} / {total} 字节'],
  ['waiting for upgrade {card*} in reader {reader*}, {elapsed#} s', '等待在读卡器 {reader} 中插入升级卡{card}，已等 {elapsed} 秒'],
  ['waiting for the card to be taken out of reader {reader*}, {elapsed#} s', '等待从读卡器 {reader} 取出卡，已等 {elapsed} 秒'],
  ['waiting for the register to read the upgrade cards and install, {elapsed#} s of an expected {expected#} s', '等待收款机读升级卡并安装，已等 {elapsed} 秒，预计 {expected} 秒'],
  // upgrade by USB stick
  ['looking for a writable USB stick', '正在查找可写的U盘'],
  ['earlier copy on the stick: {state}', 'U盘上的早先副本：{state}'],
  ['{file*} on the stick still reads back right: not copied again', 'U盘上的 {file} 回读仍然正确，不再复制'],
  ['the stick is not in the gateway: it is with the technician', 'U盘不在网关上，在技术员手中'],
  ['{bytes#} bytes copied to {mount*}, read back and verified', '已复制 {bytes} 字节到 {mount}，已回读核对'],
  ['{done#} of {total#} bytes copied to the stick', '已复制 {done} / {total} 字节到U盘'],
  ['{done#} of {total#} bytes read back from the stick', '已从U盘回读 {done} / {total} 字节'],
  ['waiting for the register to install from the stick, {elapsed#} s of an expected {expected#} s', '等待收款机从U盘安装，已等 {elapsed} 秒，预计 {expected} 秒'],
];

/** Parameters that are words, said in Chinese; a value none of them knows makes the template not match. */
const wordParams: Readonly<Record<string, (value: string) => string | undefined>> = {
  kind: (value) => ({ upgrade: '升级', reinstall: '重新安装', downgrade: '降级' } as Record<string, string>)[value],
  state: (value) => ({ verified: '完好', damaged: '已损坏', absent: '没有' } as Record<string, string>)[value],
  card: (value) => {
    const match = /^card (\d+)(?: of (\d+))?$/.exec(value);
    return match === null ? undefined : match[2] === undefined ? `第 ${match[1]} 张` : `第 ${match[1]}/${match[2]} 张`;
  },
};

interface Compiled { readonly pattern: RegExp; readonly names: readonly string[]; readonly en: string; readonly zh: string }

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile([en, zh]: readonly [string, string]): Compiled {
  const names: string[] = [];
  let source = '';
  let last = 0;
  for (const match of en.matchAll(/\{(\w+)([#*]?)\}/g)) {
    source += escape(en.slice(last, match.index));
    names.push(match[1]!);
    source += match[2] === '#' ? '(\\d+)' : match[2] === '*' ? '(.+?)' : '(\\S+)';
    last = match.index + match[0].length;
  }
  source += escape(en.slice(last));
  const plain = (text: string) => text.replace(/\{(\w+)[#*]\}/g, '{$1}');
  return { pattern: new RegExp(`^${source}$`), names, en: plain(en), zh: plain(zh) };
}

const compiled = templates.map(compile);

/** Every template pair (for the test that each zh text is Chinese and keeps the same placeholders). */
export function progressDetailTemplates(): readonly (readonly [string, string])[] {
  return templates;
}

/**
 * The detail in `language`: in English as the service wrote it; in Chinese from its template, or null when no
 * template knows it (the progress line then shows no detail rather than English).
 */
export function progressDetail(detail: string | null | undefined, language: DetailLanguage): string | null {
  if (detail === undefined || detail === null || detail === '') return null;
  // Records read of an expected total that was an estimate: past it, the count alone (never "7308 / 7293").
  const counted = /^(backup )?(\d+) \/ (\d+)$/.exec(detail);
  if (counted && Number(counted[2]) > Number(counted[3])) {
    return language === 'en' ? `${counted[1] ?? ''}${counted[2]} records read` : `${counted[1] ? '备份' : ''}已读 ${counted[2]} 条`;
  }
  if (language === 'en') return detail;
  for (const entry of compiled) {
    const match = entry.pattern.exec(detail);
    if (!match) continue;
    const params = new Map(entry.names.map((name, i) => {
      const value = match[i + 1]!;
      const words = wordParams[name];
      return [name, words === undefined ? value : words(value)] as const;
    }));
    if ([...params.values()].includes(undefined)) continue;
    return entry.zh.replace(/\{(\w+)\}/g, (_whole, name: string) => params.get(name) ?? '');
  }
  return null;
}
