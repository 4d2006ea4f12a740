import { GatewayError } from '../../../contracts/errors/index.js';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--expires 36h`, `7d`, `90m`, `3600s`: a positive whole number and a unit, in milliseconds. */
export function parseDuration(text: string, option = '--expires'): number {
  const match = /^([1-9]\d{0,6})([smhd])$/.exec(text.trim());
  if (!match) throw new GatewayError('CLI_USAGE', { params: { detail: `${option} ${text}: expected a duration such as 12h, 7d, 90m or 3600s` } });
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** How long ago, in words of the language: `3 天 4 小时` / `3 d 4 h`; minutes under an hour. */
export function ageText(seconds: number, zh: boolean): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (zh) return days > 0 ? `${days} 天 ${hours} 小时` : hours > 0 ? `${hours} 小时 ${minutes} 分钟` : `${minutes} 分钟`;
  return days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}
