import type { ErrorTable } from './ErrorSpec.js';

export const driverErrors = {} as const satisfies ErrorTable;
