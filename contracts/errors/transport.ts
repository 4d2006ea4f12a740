import type { ErrorTable } from './ErrorSpec.js';

export const transportErrors = {} as const satisfies ErrorTable;
