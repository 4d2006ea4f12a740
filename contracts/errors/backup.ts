import type { ErrorTable } from './ErrorSpec.js';

export const backupErrors = {} as const satisfies ErrorTable;
