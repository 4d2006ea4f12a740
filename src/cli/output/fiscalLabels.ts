import type { FiscalViewJson } from '../types.js';

/** Fiscal states and diagnosis verdicts as fiscalctl shows them; `--json` keeps the API's words. */
const fiscalStates: Readonly<Record<string, { zh: string; en: string }>> = {
  new: { zh: '新机（未初始化）', en: 'new' },
  initialized: { zh: '已初始化', en: 'initialized' },
  deregistered: { zh: '已注销', en: 'deregistered' },
  bootloader: { zh: '引导程序中', en: 'in bootloader' },
  unknown: { zh: '未知（未诊断）', en: 'unknown (not diagnosed)' },
};
const verdicts: Readonly<Record<string, { zh: string; en: string }>> = {
  ok: { zh: '正常', en: 'ok' }, attention: { zh: '需注意', en: 'attention' }, fault: { zh: '故障', en: 'fault' },
};

const pick = (text: { zh: string; en: string } | undefined, fallback: string, zh: boolean) => (text === undefined ? fallback : zh ? text.zh : text.en);

export function fiscalStateLabel(state: string, zh: boolean): string {
  return pick(fiscalStates[state], state, zh);
}

/** "故障：未检测到税控卡" / "fault: No fiscal card detected"; undefined when never diagnosed. */
export function diagnosisLabel(fiscal: FiscalViewJson | undefined, zh: boolean): string | undefined {
  const diagnosis = fiscal?.lastDiagnosis;
  if (diagnosis === null || diagnosis === undefined) return undefined;
  const verdict = pick(verdicts[diagnosis.verdict], diagnosis.verdict, zh);
  if (diagnosis.worst === null) return verdict;
  return `${verdict}${zh ? '：' : ': '}${zh ? diagnosis.worst.zh : diagnosis.worst.en}`;
}

export function cardsLabel(fiscal: FiscalViewJson | undefined, zh: boolean): string | undefined {
  if (fiscal === undefined) return undefined;
  const one = (present: boolean | null, zhName: string, enName: string) =>
    present === null ? (zh ? `${zhName}未知` : `${enName} ?`) : present ? (zh ? `${zhName}已插` : `${enName} in`) : (zh ? `${zhName}未插` : `${enName} out`);
  return `${one(fiscal.cards.fiscal, '税控卡', 'fiscal')}${zh ? '，' : ', '}${one(fiscal.cards.user, '用户卡', 'user')}`;
}
