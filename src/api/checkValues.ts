/**
 * The values the initialization dry run reports in its `expected`/`actual` (the API's English words, kept as they are
 * in --json), said in Chinese for the zh check table; numbers, dates, card and machine numbers pass through.
 * Pure, no imports: fiscalctl (init) and the console (bundled) both use it.
 */
const words: Readonly<Record<string, string>> = {
  'not registered': '未登记', 'registered by this gateway': '已由本网关登记', uncertain: '不确定', registered: '已登记',
  'not initialized': '未初始化', 'card present': '有卡', present: '有卡', empty: '无卡', absent: '无卡', powered: '已上电',
  none: '无', unknown: '未知', 'unused PIN': '未用过的口令', 'sent once, unanswered': '已发送一次，未获应答',
  fiscal: '税控卡', user: '用户卡', ok: '正常',
};

const yuan = (fen: string) => `${(Number(fen) / 100).toFixed(2)} 元`;

export function checkValue(value: string | null, language: 'zh-CN' | 'en'): string | null {
  if (value === null) return null;
  if (language !== 'zh-CN') return value;
  if (value in words) return words[value]!;
  const initialized = /^initialized with (.+)$/.exec(value);
  if (initialized) return `已用 ${initialized[1]} 初始化`;
  const cardType = /^card type (\S+) in EF02$/.exec(value);
  if (cardType) return `卡类型 ${cardType[1]}`;
  if (/^-?\d+ s$/.test(value)) return `${value.slice(0, -2)} 秒`;
  const tolerance = /^\|offset\| ≤ (\d+) s$/.exec(value);
  if (tolerance) return `偏差不超过 ${tolerance[1]} 秒`;
  const offset = /^(-?\d+) s \((.+)\)$/.exec(value);
  if (offset) return `${offset[1]} 秒（${offset[2]!.replace('T', ' ')}）`;
  if (/^[\d /]+ fen$/.test(value)) return value.slice(0, -4).split(' / ').map(yuan).join(' / ');
  return value;
}
