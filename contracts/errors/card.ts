import type { ErrorTable } from './ErrorSpec.js';

export const cardErrors = {} as const satisfies ErrorTable;
