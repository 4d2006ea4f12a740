import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log line. A PIN, MAC, key or token is
 * never written to a log; add the field name here when a new secret appears.
 */
export const redactedPaths = [
  'pin', '*.pin', '*.*.pin', 'newPin', '*.newPin', 'currentPin', '*.currentPin',
  'mac', '*.mac', '*.*.mac', 'mac1', '*.mac1', 'mac2', '*.mac2',
  'key', '*.key', 'privateKey', '*.privateKey', 'issuerKey', '*.issuerKey',
  'token', '*.token', 'confirmationToken', '*.confirmationToken',
  'authorization', '*.authorization', 'req.headers.authorization', 'headers.authorization',
  'apdu', '*.apdu',
];

/** The daemon's logger: JSON lines on stdout, or on `destination` (a test that reads what was logged). */
export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    level: process.env.FISCALD_LOG_LEVEL ?? 'info',
    redact: { paths: redactedPaths, censor: '[redacted]' },
    ...options,
  };
  return destination === undefined ? pino(settings) : pino(settings, destination);
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
