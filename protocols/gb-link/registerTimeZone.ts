import { z } from 'zod';
import type { LinkDateTime } from './fields.js';

/**
 * The register time zone (SPEC.md §4.1): a register's clock and every date-time it sends or takes
 * (3A, 3B, 63, records) are wall-clock time in its zone, with no zone on the wire. The gateway has
 * one setting for it, `registerTimeZone` in the daemon config, default China Standard Time (UTC+8);
 * initialization, diagnostics, backup and the simulator all convert through these functions.
 */
export const CHINA_STANDARD_TIME_MINUTES = 480;
export const DEFAULT_REGISTER_UTC_OFFSET_MINUTES = CHINA_STANDARD_TIME_MINUTES;

/** Minutes east of UTC, as zones exist: UTC−12:00 … UTC+14:00. */
export const utcOffsetMinutesSchema = z.number().int().min(-720).max(840);

/** The config form, `+08:00` / `-05:30` / `Z`, to minutes east of UTC. */
export const registerTimeZoneSchema = z
  .string()
  .regex(/^(Z|[+-](0\d|1[0-4]):[0-5]\d)$/, 'a UTC offset like +08:00, -05:00 or Z')
  .transform((text) => (text === 'Z' ? 0 : (text.startsWith('-') ? -1 : 1) * (Number(text.slice(1, 3)) * 60 + Number(text.slice(4, 6)))))
  .pipe(utcOffsetMinutesSchema);

/** `+08:00` for 480: the ISO 8601 suffix of a register-local time. */
export function formatUtcOffset(utcOffsetMinutes: number): string {
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `YYYY-MM-DDTHH:mm:ss` of `epochMs` on a register clock `utcOffsetMinutes` east of UTC. */
export function localDateTime(epochMs: number, utcOffsetMinutes: number): LinkDateTime {
  return new Date(epochMs + utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
}

/** Milliseconds since the epoch of a register-local date-time in that zone. */
export function epochOfLocal(dateTime: LinkDateTime, utcOffsetMinutes: number): number {
  return Date.parse(`${dateTime}Z`) - utcOffsetMinutes * 60_000;
}

/** The instant a register-local date-time stands for. */
export function registerInstant(dateTime: LinkDateTime, utcOffsetMinutes: number): Date {
  return new Date(epochOfLocal(dateTime, utcOffsetMinutes));
}
