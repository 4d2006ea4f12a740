import { ExitCode, errorCatalog } from '../../contracts/errors/index.js';

/**
 * The exit code an error code stands for (the catalogue decides, see test/unit/errors.test.ts); `otherwise`
 * for a code this fiscalctl does not know (a newer fiscald).
 */
export function exitCodeOf(code: string | undefined, otherwise: ExitCode = ExitCode.failed): ExitCode {
  const spec = code === undefined ? undefined : (errorCatalog as Record<string, { exit: ExitCode } | undefined>)[code];
  return spec?.exit ?? otherwise;
}
