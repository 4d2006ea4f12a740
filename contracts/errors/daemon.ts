import type { ErrorTable } from './ErrorSpec.js';

export const daemonErrors = {} as const satisfies ErrorTable;
