/** Register clocks keep local time without a zone (GB link 3A); China Standard Time by default. */
export const DEFAULT_REGISTER_UTC_OFFSET_MINUTES = 480;

/** `YYYY-MM-DDTHH:mm:ss` of `epochMs` in a zone `utcOffsetMinutes` east of UTC. */
export function localDateTime(epochMs: number, utcOffsetMinutes: number): string {
  return new Date(epochMs + utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
}

/** Milliseconds since the epoch of a register-local date-time in that zone. */
export function epochOfLocal(dateTime: string, utcOffsetMinutes: number): number {
  return Date.parse(`${dateTime}Z`) - utcOffsetMinutes * 60_000;
}
