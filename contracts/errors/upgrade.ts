import type { ErrorTable } from './ErrorSpec.js';

export const upgradeErrors = {} as const satisfies ErrorTable;
