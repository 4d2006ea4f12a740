import type { ErrorTable } from './ErrorSpec.js';

export const linkErrors = {} as const satisfies ErrorTable;
