import type { ErrorTable } from './ErrorSpec.js';

export const initializeErrors = {} as const satisfies ErrorTable;
