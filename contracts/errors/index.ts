export { ExitCode, type ErrorSpec, type ErrorTable } from './ErrorSpec.js';
export { errorCatalog, errorSpec, errorTables, type ErrorCode } from './catalog.js';
export { GatewayError, isGatewayError, type ErrorParams, type GatewayErrorOptions, type Language } from './GatewayError.js';
