import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Field names whose values are secrets (a PIN, MAC, key or token, the confirmation token of an initialization,
 * a raw APDU that may carry any of them). Add the name here when a new secret appears: the log (below), the
 * store and the API's problem details (`redactSecrets`) all blank it out.
 */
export const secretFieldNames: readonly string[] = [
  'pin', 'newPin', 'currentPin', 'mac', 'mac1', 'mac2', 'key', 'privateKey', 'issuerKey',
  'token', 'confirmationToken', 'confirm', 'password', 'secret', 'authorization', 'apdu',
];

/** Paths pino blanks out wherever they appear in a log line, up to two levels down, and the request header. */
export const redactedPaths: readonly string[] = [
  ...secretFieldNames.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]),
  'req.headers.authorization', 'headers.authorization',
];

/** The daemon's logger: JSON lines on stdout, or on `destination` (a test that reads what was logged). */
export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    level: process.env.FISCALD_LOG_LEVEL ?? 'info',
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    ...options,
  };
  return destination === undefined ? pino(settings) : pino(settings, destination);
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
