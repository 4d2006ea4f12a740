import { userInfo } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ExitCode, GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import { problemBody } from '../api/problem.js';
import { DEFAULT_LISTEN } from '../daemon/paths.js';
import type { CliContext, CliIo } from './CliContext.js';
import type { Command } from './Command.js';
import { commandTable } from './commandTable.js';
import { DaemonClient } from './DaemonClient.js';
import { DaemonProblem } from './DaemonProblem.js';
import { commandHelp, generalHelp, helpDocument } from './helpText.js';
import { resolveToken } from './resolveToken.js';
import { INTERRUPTED_EXIT, JobLeftRunning } from './JobLeftRunning.js';
import { setTableWidth } from './output/table.js';
import { commandTextZh } from './commandTextZh.js';
import { actionLabel } from './output/actionLabels.js';
import type { JobView } from './types.js';
import { cliText, languageFromEnv, type Language } from './cliText.js';
import { useRegisterTimeZone } from './output/displayTime.js';
import { packageVersion } from './packageVersion.js';

const globalOptions = {
  json: { type: 'boolean' },
  url: { type: 'string' },
  'data-dir': { type: 'string' },
  operator: { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const globalStringOptions = new Set(['--url', '--data-dir', '--operator', '--lang']);

/** The command word: the first argument that is neither an option nor the value of a global option. */
function findCommand(argv: readonly string[], commands: readonly Command[]): { command?: Command; word?: string; rest: string[] } {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (globalStringOptions.has(arg)) { i += 1; continue; }
    if (arg.startsWith('-')) continue;
    return { command: commands.find((c) => c.name === arg), word: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { rest: [...argv] };
}

function languageOf(flag: string | undefined, env: NodeJS.ProcessEnv): Language {
  if (flag !== undefined) {
    if (/^zh/i.test(flag)) return 'zh-CN';
    if (/^en/i.test(flag)) return 'en';
    throw usage(languageFromEnv(env), 'badLang', { value: flag });
  }
  return languageFromEnv(env);
}

function usage(language: Language, key: Parameters<typeof cliText>[1], params: Record<string, string | number> = {}): GatewayError {
  return new GatewayError('CLI_USAGE', { params: { detail: cliText(language, key, params) } });
}

/** node:util parseArgs' English errors, said again from the catalogue (the option or argument it names kept). */
function parseError(language: Language, cause: unknown): GatewayError {
  const error = cause as { code?: string; message?: string };
  const named = /'([^']+)'/.exec(error.message ?? '')?.[1]?.replace(/ <value>$/, '') ?? '';
  const key = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 'unknownOption'
    : error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' ? 'extraArgument'
      : error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? (/does not take/.test(error.message ?? '') ? 'optionTakesNoValue' : 'optionNeedsValue')
        : 'badArguments';
  return new GatewayError('CLI_USAGE', { params: { detail: cliText(language, key, { option: named, value: named }) }, cause });
}

function defaultOperator(env: NodeJS.ProcessEnv): string {
  if (env.FISCAL_OPERATOR?.trim()) return env.FISCAL_OPERATOR.trim();
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function report(io: CliIo, json: boolean, language: Language, error: unknown): number {
  if (error instanceof JobLeftRunning) {
    io.stderr.write(`${cliText(language, 'leftRunning', { id: error.jobId })}\n`);
    return INTERRUPTED_EXIT;
  }
  if (error instanceof DaemonProblem) {
    if (json) io.stdout.write(`${JSON.stringify(error.body)}\n`);
    else {
      const detail = typeof error.body.detail === 'string' ? `\n${error.body.detail}` : '';
      io.stderr.write(`fiscalctl: ${error.message} (${error.code})${detail}\n`);
    }
    return error.exitCode;
  }
  const gateway = isGatewayError(error) ? error : new GatewayError('INTERNAL', { params: { detail: error instanceof Error ? error.message : String(error) }, cause: error });
  if (json) io.stdout.write(`${JSON.stringify(problemBody(gateway, language))}\n`);
  else {
    const remedy = gateway.remedy(language);
    io.stderr.write(`fiscalctl: ${gateway.localized(language)} (${gateway.code})${remedy ? `\n${remedy}` : ''}\n`);
  }
  return gateway.spec.exit;
}

/** Runs one fiscalctl invocation and returns its exit code (DESIGN.md: 0 done … 5 unreachable; 130 after Ctrl-C). */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly Command[] = commandTable): Promise<number> {
  const { command, word, rest } = findCommand(argv, commands);
  setTableWidth(io.stdout.isTTY === true ? io.stdout.columns : undefined);
  useRegisterTimeZone(io.env);
  let json = argv.includes('--json');
  let language: Language = languageFromEnv(io.env);
  let busyKind: ((jobId: string) => Promise<string | undefined>) | undefined;
  try {
    const langAt = argv.indexOf('--lang');
    language = languageOf(langAt >= 0 ? argv[langAt + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7), io.env);
    if (word !== undefined && !command) throw usage(language, 'unknownCommand', { word });
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...globalOptions, ...(command?.options ?? {}) }, allowPositionals: true, strict: true });
    } catch (cause) {
      throw parseError(language, cause);
    }
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    json = values.json === true;
    language = languageOf(values.lang as string | undefined, io.env);
    if (values.version === true && !command) {
      io.stdout.write(json ? `${JSON.stringify({ version: packageVersion() })}\n` : `fiscalctl ${packageVersion()}\n`);
      return ExitCode.ok;
    }
    if (!command && !values.help && json) throw usage(language, 'noCommand');
    if (!command || values.help) {
      if (json) io.stdout.write(`${JSON.stringify(helpDocument(commands, command), null, 2)}\n`);
      else io.stdout.write(command ? commandHelp(command, language) : generalHelp(commands, language));
      return values.help ? ExitCode.ok : ExitCode.usage;
    }
    const required = command.positionals.filter((p) => p.required).length;
    if (parsed.positionals.length < required || parsed.positionals.length > command.positionals.length) {
      throw usage(language, 'usageLine', { usage: language === 'zh-CN' ? commandTextZh[command.name]?.usage ?? command.usage : command.usage });
    }
    const url = (values.url as string | undefined) ?? io.env.FISCALD_URL ?? `http://${DEFAULT_LISTEN}`;
    try {
      new URL(url);
    } catch {
      throw usage(language, 'badUrl', { value: url });
    }
    const token = async (): Promise<string> => {
      try {
        return resolveToken(io.env, values['data-dir'] as string | undefined);
      } catch (error) {
        // No token usually means no daemon has ever run here: say so when it is not answering.
        if (!(await client.health())) throw new GatewayError('DAEMON_UNREACHABLE', { params: { url, detail: 'no answer' }, cause: error });
        throw error;
      }
    };
    const client: DaemonClient = new DaemonClient({ url, token, operator: (values.operator as string | undefined) ?? defaultOperator(io.env), language });
    busyKind = async (jobId) => client.get<JobView>(`/v1/jobs/${encodeURIComponent(jobId)}`).then((job) => actionLabel(job.kind, language), () => undefined);
    const ctx: CliContext = {
      io, client, json, language, positionals: parsed.positionals, options: values, commands,
      printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
      print: (text) => io.stdout.write(text),
    };
    return await command.run(ctx);
  } catch (error) {
    // DEVICE_BUSY names the job; say what kind of job it is, so the technician knows whether to wait or come back.
    if (!json && error instanceof DaemonProblem && error.code === 'DEVICE_BUSY' && typeof error.body.jobId === 'string' && busyKind) {
      const kind = await busyKind(error.body.jobId);
      if (kind) io.stderr.write(`${cliText(language, 'busyWith', { kind, id: error.body.jobId })}\n`);
    }
    return report(io, json, language, error);
  }
}
