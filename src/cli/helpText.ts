import type { Command } from './Command.js';
import type { Language } from './cliText.js';
import { commandTextZh } from './commandTextZh.js';
import { displayWidth } from './output/table.js';

export const globalOptionsHelp = `Global options:
  --json               print JSON only on stdout (errors too, as problem objects)
  --url URL            fiscald address (default $FISCALD_URL or http://127.0.0.1:18240)
  --data-dir DIR       where to find the token (default $FISCALD_DATA_DIR or fiscald's default);
                       $FISCALD_TOKEN overrides the token file
  --operator NAME      operator recorded with state-changing requests (default $FISCAL_OPERATOR or the login name)
  --lang zh|en         language of messages; without it the first of $LC_ALL, $LC_MESSAGES, $LANG
                       that is set decides (zh_* Chinese, anything else English), Chinese when none is
  -h, --help           help (fiscalctl COMMAND --help for one command)
  --version            the version of fiscalctl

Exit codes: 0 done, 1 failed (also: the device, job, backup, reader or package named does not
exist), 2 usage (also: a change asked without a terminal and without --yes), 3 refused by
verification, 4 device busy, 5 device unreachable (also when fiscald is not running),
130 interrupted (Ctrl-C; a job started goes on unless cancelled).
`;

/** Usages longer than this get their summary on the next line, so one long usage cannot push every summary off screen. */
const usageColumn = 44;

function commandLine(command: Command, width: number): string {
  return command.usage.length <= width
    ? `  ${command.usage.padEnd(width)}  ${command.summary}`
    : `  ${command.usage}\n  ${''.padEnd(width)}  ${command.summary}`;
}

export function generalHelp(commands: readonly Command[], language: Language = 'en'): string {
  const width = Math.min(usageColumn, Math.max(...commands.map((c) => c.usage.length)));
  if (language === 'zh-CN') {
    const line = (c: Command) => {
      const usage = commandTextZh[c.name]?.usage ?? c.usage;
      const summary = c.summaryZh ?? commandTextZh[c.name]?.summary ?? c.summary;
      return displayWidth(usage) <= width ? `  ${usage}${' '.repeat(width - displayWidth(usage))}  ${summary}` : `  ${usage}\n  ${''.padEnd(width)}  ${summary}`;
    };
    return `fiscalctl — 税控网关守护进程（fiscald）的命令行

用法：fiscalctl [全局选项] 命令 [选项]

命令：
${commands.map(line).join('\n')}

${globalOptionsHelpZh}`;
  }
  return `fiscalctl — command line of the fiscal-gateway daemon (fiscald)

Usage: fiscalctl [global options] COMMAND [options]

Commands:
${commands.map((c) => commandLine(c, width)).join('\n')}

${globalOptionsHelp}`;
}

export const globalOptionsHelpZh = `全局选项：
  --json               标准输出只输出 JSON（错误也以问题对象输出）
  --url 地址           fiscald 地址（默认 $FISCALD_URL 或 http://127.0.0.1:18240）
  --data-dir 目录      令牌所在目录（默认 $FISCALD_DATA_DIR 或 fiscald 的默认目录）；
                       $FISCALD_TOKEN 优先于令牌文件
  --operator 姓名      记录在改变状态的请求中的操作员（默认 $FISCAL_OPERATOR 或登录名）
  --lang zh|en         提示语言；不给出时按 $LC_ALL、$LC_MESSAGES、$LANG 中第一个已设置的决定
                       （zh_* 为中文，其他为英文），都未设置时为中文
  -h, --help           帮助（fiscalctl 命令 --help 查看单个命令）
  --version            显示 fiscalctl 的版本

退出码：0 完成，1 失败（指定的设备、任务、备份、读卡器或升级包不存在时也是 1），2 用法错误
（不在终端上运行又未加 --yes 确认改变状态的操作时也是 2），3 校验拒绝，4 设备忙，
5 设备不可达（fiscald 未运行时也是 5），130 被中断（Ctrl-C；已开始的任务除非取消会继续执行）。
`;

/** One command's help; in Chinese when asked and the command has its Chinese text. */
export function commandHelp(command: Command, language: Language = 'en'): string {
  const table = commandTextZh[command.name];
  const zh = language === 'zh-CN' && (command.helpZh !== undefined || table !== undefined);
  const summary = zh ? command.summaryZh ?? table?.summary ?? command.summary : command.summary;
  const help = zh ? command.helpZh ?? table?.help : command.help;
  return `fiscalctl ${zh ? table?.usage ?? command.usage : command.usage}

${summary}${help ? `\n\n${help}` : ''}

${zh ? globalOptionsHelpZh : globalOptionsHelp}`;
}

/** `--help --json`: the same help as data (stdout stays JSON only). */
export function helpDocument(commands: readonly Command[], command?: Command): Record<string, unknown> {
  const describe = (c: Command) => ({
    name: c.name, usage: `fiscalctl ${c.usage}`, summary: c.summary, ...(c.help ? { help: c.help } : {}),
    options: Object.keys(c.options ?? {}).map((name) => `--${name}`),
  });
  return command ? describe(command) : { usage: 'fiscalctl [global options] COMMAND [options]', commands: commands.map(describe), globalOptions: globalOptionsHelp };
}
