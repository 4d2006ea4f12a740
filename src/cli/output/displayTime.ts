import { DEFAULT_REGISTER_UTC_OFFSET_MINUTES, registerTimeZoneSchema } from '../../../protocols/gb-link/registerTimeZone.js';

let offsetMinutes = DEFAULT_REGISTER_UTC_OFFSET_MINUTES;

/**
 * Times are shown in the registers' zone (the counter's clock), not the PC's: the daemon's register time zone
 * setting, which fiscalctl takes from FISCALD_REGISTER_UTC_OFFSET as fiscald does (`+08:00`, `-05:00`, `Z`),
 * China Standard Time when it is unset or not an offset. runCli calls this once per invocation.
 */
export function useRegisterTimeZone(env: NodeJS.ProcessEnv): void {
  const parsed = registerTimeZoneSchema.safeParse(env.FISCALD_REGISTER_UTC_OFFSET ?? '');
  offsetMinutes = parsed.success ? parsed.data : DEFAULT_REGISTER_UTC_OFFSET_MINUTES;
}

/** The fields of an instant on a clock `offsetMinutes` east of UTC. */
function wallClock(at: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const shifted = new Date(at.getTime() + offsetMinutes * 60_000);
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(),
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * An ISO-8601 instant as people at the counter read it, in the register's local time to the minute:
 * `2026-03-01 18:05`, or `03-01 18:05` where the year goes without saying (recent jobs), or to the second
 * (`2026-03-01 18:05:09`, records and CSV). `--json` keeps the ISO form.
 */
export function displayTime(iso: string | null | undefined, form: 'full' | 'short' | 'seconds' = 'full'): string | undefined {
  if (!iso) return undefined;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const c = wallClock(at);
  const day = `${two(c.month)}-${two(c.day)} ${two(c.hour)}:${two(c.minute)}`;
  if (form === 'short') return day;
  return form === 'seconds' ? `${c.year}-${day}:${two(c.second)}` : `${c.year}-${day}`;
}
