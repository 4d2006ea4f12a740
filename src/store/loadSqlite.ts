import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { GatewayError } from '../../contracts/errors/index.js';

type DatabaseConstructor = typeof BetterSqlite3;

let cached: DatabaseConstructor | undefined;

/**
 * better-sqlite3 is an optional native dependency: it is loaded on first use, so that a machine where
 * it failed to build still starts everything that does not need the store, and says why the rest is missing.
 */
export function loadSqlite(): DatabaseConstructor {
  if (cached) return cached;
  try {
    const required = createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;
    cached = required;
    return required;
  } catch (cause) {
    throw new GatewayError('SUBSYSTEM_UNAVAILABLE', {
      params: { subsystem: 'SQLite (better-sqlite3)', detail: cause instanceof Error ? cause.message : String(cause) },
      cause,
    });
  }
}
