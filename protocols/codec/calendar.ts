/** A calendar date as the gateway shows it, `YYYY-MM-DD`. */
export type IsoDate = string;
/** A wall-clock date-time without zone, `YYYY-MM-DDTHH:mm:ss` (registers keep no zone; see registerTimeZone). */
export type IsoDateTime = string;

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = datePattern.exec(value);
  return m !== null && isRealDate(+m[1]!, +m[2]!, +m[3]!);
}

export function isIsoDateTime(value: string): boolean {
  const m = dateTimePattern.exec(value);
  return m !== null && isRealDate(+m[1]!, +m[2]!, +m[3]!) && +m[4]! < 24 && +m[5]! < 60 && +m[6]! < 60;
}
