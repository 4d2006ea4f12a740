import type { ErrorSpec } from './ErrorSpec.js';
import { generalErrors } from './general.js';
import { cardErrors } from './card.js';
import { linkErrors } from './link.js';
import { readerErrors } from './reader.js';
import { transportErrors } from './transport.js';
import { daemonErrors } from './daemon.js';
import { initializeErrors } from './initialize.js';
import { backupErrors } from './backup.js';
import { upgradeErrors } from './upgrade.js';
import { upgradeCardErrors } from './upgradeCard.js';
import { upgradeSerialErrors } from './upgradeSerial.js';
import { engineErrors } from './engine.js';
import { recordErrors } from './records.js';
import { edgeErrors } from './edge.js';
import { repositoryErrors } from './repository.js';

/** Every stable error code of the gateway. Each area keeps its own table; codes must not collide. */
export const errorCatalog = {
  ...generalErrors,
  ...cardErrors,
  ...linkErrors,
  ...readerErrors,
  ...transportErrors,
  ...daemonErrors,
  ...initializeErrors,
  ...backupErrors,
  ...upgradeErrors,
  ...upgradeCardErrors,
  ...upgradeSerialErrors,
  ...engineErrors,
  ...recordErrors,
  ...edgeErrors,
  ...repositoryErrors,
} as const;

export type ErrorCode = keyof typeof errorCatalog;

export function errorSpec(code: ErrorCode): ErrorSpec {
  return errorCatalog[code];
}

/** The area tables side by side, so a test can prove no code is defined twice. */
export const errorTables = {
  generalErrors, cardErrors, linkErrors, readerErrors, transportErrors, daemonErrors, initializeErrors, backupErrors, upgradeErrors, upgradeCardErrors, upgradeSerialErrors, engineErrors, recordErrors, edgeErrors, repositoryErrors,
} as const;
