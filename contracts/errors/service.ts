import type { ErrorTable } from './ErrorSpec.js';

export const serviceErrors = {} as const satisfies ErrorTable;
