import type { ErrorSpec } from './ErrorSpec.js';
import { generalErrors } from './general.js';
import { cardErrors } from './card.js';
import { linkErrors } from './link.js';
import { driverErrors } from './driver.js';
import { daemonErrors } from './daemon.js';
import { serviceErrors } from './service.js';
import { backupErrors } from './backup.js';
import { upgradeErrors } from './upgrade.js';

/** Every stable error code of the gateway. Each area keeps its own table; codes must not collide. */
export const errorCatalog = {
  ...generalErrors,
  ...cardErrors,
  ...linkErrors,
  ...driverErrors,
  ...daemonErrors,
  ...serviceErrors,
  ...backupErrors,
  ...upgradeErrors,
} as const;

export type ErrorCode = keyof typeof errorCatalog;

export function errorSpec(code: ErrorCode): ErrorSpec {
  return errorCatalog[code];
}

/** The area tables side by side, so a test can prove no code is defined twice. */
export const errorTables = {
  generalErrors, cardErrors, linkErrors, driverErrors, daemonErrors, serviceErrors, backupErrors, upgradeErrors,
} as const;
