import type { Command } from './Command.js';

export const globalOptionsHelp = `Global options:
  --json               print JSON only on stdout (errors too, as problem objects)
  --url URL            fiscald address (default $FISCALD_URL or http://127.0.0.1:18240)
  --data-dir DIR       where to find the token (default $FISCALD_DATA_DIR or fiscald's default);
                       $FISCALD_TOKEN overrides the token file
  --operator NAME      operator recorded with state-changing requests (default $FISCAL_OPERATOR or the login name)
  --lang zh|en         language of messages (default from $LANG)
  -h, --help           help (fiscalctl COMMAND --help for one command)

Exit codes: 0 done, 1 failed, 2 usage, 3 refused by verification, 4 device busy,
5 device unreachable (also when fiscald is not running).
`;

/** Usages longer than this get their summary on the next line, so one long usage cannot push every summary off screen. */
const usageColumn = 44;

function commandLine(command: Command, width: number): string {
  return command.usage.length <= width
    ? `  ${command.usage.padEnd(width)}  ${command.summary}`
    : `  ${command.usage}\n  ${''.padEnd(width)}  ${command.summary}`;
}

export function generalHelp(commands: readonly Command[]): string {
  const width = Math.min(usageColumn, Math.max(...commands.map((c) => c.usage.length)));
  return `fiscalctl — command line of the fiscal-gateway daemon (fiscald)

Usage: fiscalctl [global options] COMMAND [options]

Commands:
${commands.map((c) => commandLine(c, width)).join('\n')}

${globalOptionsHelp}`;
}

export function commandHelp(command: Command): string {
  return `fiscalctl ${command.usage}

${command.summary}${command.help ? `\n\n${command.help}` : ''}

${globalOptionsHelp}`;
}

/** `--help --json`: the same help as data (stdout stays JSON only). */
export function helpDocument(commands: readonly Command[], command?: Command): Record<string, unknown> {
  const describe = (c: Command) => ({
    name: c.name, usage: `fiscalctl ${c.usage}`, summary: c.summary, ...(c.help ? { help: c.help } : {}),
    options: Object.keys(c.options ?? {}).map((name) => `--${name}`),
  });
  return command ? describe(command) : { usage: 'fiscalctl [global options] COMMAND [options]', commands: commands.map(describe), globalOptions: globalOptionsHelp };
}
