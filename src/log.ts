import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { fstatSync } from 'node:fs';
import pretty from 'pino-pretty';

/**
 * Field names whose values are secrets (a PIN, MAC, key or token, the confirmation token of an initialization,
 * a raw APDU that may carry any of them). Add the name here when a new secret appears: the log (below), the
 * store and the API's problem details (`redactSecrets`) all blank it out.
 */
export const secretFieldNames: readonly string[] = [
  'pin', 'newPin', 'currentPin', 'mac', 'mac1', 'mac2', 'key', 'privateKey', 'issuerKey',
  'token', 'confirmationToken', 'confirm', 'password', 'secret', 'authorization', 'apdu', 'cookie', 'csrf', 'csrfToken',
];

/** Paths pino blanks out wherever they appear in a log line, up to two levels down, and the request header. */
export const redactedPaths: readonly string[] = [
  ...secretFieldNames.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]),
  // Request headers wherever a line carries them: the bearer token, the console's session cookie and CSRF token.
  ...['.authorization', '.cookie', '["set-cookie"]', '["x-csrf-token"]'].flatMap((name) => [`req.headers${name}`, `headers${name}`, `res.headers${name}`]),
];

/** pino's numeric levels → syslog priorities (trace/debug 7 debug, info 6, warn 4 warning, error 3 err, fatal 2 crit). */
export function syslogPriority(level: number): number {
  if (level >= 60) return 2;
  if (level >= 50) return 3;
  if (level >= 40) return 4;
  if (level >= 30) return 6;
  return 7;
}

/**
 * A JSON line prefixed `<N>` with its syslog priority: journald (SyslogLevelPrefix=yes, its default for a service's
 * stdout) strips the prefix and files the line at that priority, so `journalctl -u fiscald -p warning` shows warnings
 * and worse. The JSON itself is unchanged.
 */
export function journalStream(out: { write(text: string): unknown }): DestinationStream {
  return {
    write(line: string) {
      const level = /"level":(\d+)/.exec(line);
      out.write(`<${syslogPriority(level ? Number(level[1]) : 30)}>${line}`);
    },
  };
}

/** `device:inode` of stdout, as systemd writes JOURNAL_STREAM; undefined when it cannot be read. */
function stdoutIdentity(): string | undefined {
  try {
    const stat = fstatSync(1);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * How the daemon's log is written: `journal` when stdout is the journal's stream, `pretty` on a terminal, `json`
 * otherwise. systemd sets JOURNAL_STREAM to that stream's device:inode (systemd.exec(5)); a child of a service that
 * inherited the variable but writes to a pipe (a test) is told apart by comparing it with stdout's own.
 */
export function logFormat(env: NodeJS.ProcessEnv, stdoutIsTty: boolean, stdout: string | undefined = stdoutIdentity()): 'journal' | 'pretty' | 'json' {
  const forced = env.FISCALD_LOG_FORMAT;
  if (forced === 'journal' || forced === 'pretty' || forced === 'json') return forced;
  if (env.JOURNAL_STREAM && env.JOURNAL_STREAM === stdout) return 'journal';
  return stdoutIsTty ? 'pretty' : 'json';
}

/**
 * The daemon's logger on `destination` (a test that reads what was logged), else on stdout: JSON lines prefixed with
 * their syslog priority under systemd, human-readable lines (pino-pretty) on a terminal, plain JSON lines otherwise
 * (a pipe, a file, a log shipper). FISCALD_LOG_FORMAT=journal|pretty|json overrides the choice.
 */
export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    level: process.env.FISCALD_LOG_LEVEL ?? 'info',
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    ...options,
  };
  if (destination !== undefined) return pino(settings, destination);
  const format = logFormat(process.env, process.stdout.isTTY === true);
  if (format === 'journal') return pino(settings, journalStream(process.stdout));
  if (format === 'pretty') return pino(settings, pretty({ colorize: true, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname,name', sync: true }));
  return pino(settings);
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
