import type { ErrorTable } from './ErrorSpec.js';

export const readerErrors = {} as const satisfies ErrorTable;
