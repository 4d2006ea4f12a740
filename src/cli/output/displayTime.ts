/**
 * An ISO-8601 instant as people at the counter read it, in local time to the minute: `2026-03-01 18:05`, or
 * `03-01 18:05` where the year goes without saying (recent jobs). `--json` keeps the ISO form.
 */
export function displayTime(iso: string | null | undefined, form: 'full' | 'short' = 'full'): string | undefined {
  if (!iso) return undefined;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`;
  return form === 'short' ? day : `${at.getFullYear()}-${day}`;
}
