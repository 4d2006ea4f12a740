/**
 * Calendar rules of the service procedures, on days in China Standard Time (the service unit's day, whatever
 * the host's zone): a follow-up within one working day (weekends skipped; public holidays are not modelled),
 * repeats within six months of a repair, reports per calendar month.
 */
export const SERVICE_UTC_OFFSET_MINUTES = 480;

/** The service day (YYYY-MM-DD) an instant falls on. */
export function serviceDay(instant: string | Date): string {
  const at = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(at + SERVICE_UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

const dayNumber = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const plusDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The working day after `day`: a Friday, Saturday or Sunday gives the Monday. */
export function nextWorkingDay(day: string): string {
  let next = plusDays(day, 1);
  while (dayNumber(next) === 0 || dayNumber(next) === 6) next = plusDays(next, 1);
  return next;
}

/** `day` plus whole calendar months, clamped to the month's last day (08-31 + 6 months = 02-28 or 02-29). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, last));
  return target.toISOString().slice(0, 10);
}

/** The instants bounding a calendar month `YYYY-MM` in service time: [start, end). */
export function monthRange(month: string): { since: string; until: string } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const offset = SERVICE_UTC_OFFSET_MINUTES * 60_000;
  return {
    since: new Date(Date.UTC(year, m - 1, 1) - offset).toISOString(),
    until: new Date(Date.UTC(year, m, 1) - offset).toISOString(),
  };
}

/** The month before the one `instant` falls in (service time), `YYYY-MM`: the report due by the 10th is last month's. */
export function previousMonth(instant: Date): string {
  const day = serviceDay(instant);
  return addMonths(`${day.slice(0, 7)}-01`, -1).slice(0, 7);
}
