import { selfCheckNames } from '../DiagnosticsPort.js';
import { selfCheckLabels } from '../selfCheckLabels.js';
import type { Outcome } from '../Check.js';
import type { CheckDefinition } from './CheckDefinition.js';
import { needs } from './CheckDefinition.js';

/** Within a minute the invoices carry the right time; beyond five minutes the skew is a fault. */
export const CLOCK_OK_SECONDS = 60;
export const CLOCK_FAULT_SECONDS = 300;

/** The register clock against the host's instant. */
export function clockOutcome(register: Date, host: Date): Outcome {
      const skew = Math.round((register.getTime() - host.getTime()) / 1000);
      const facts = { register: register.toISOString(), host: host.toISOString(), skewSeconds: skew };
      if (Math.abs(skew) <= CLOCK_OK_SECONDS) return { status: 'ok', facts, summary: { zh: `收款机时钟正常（相差 ${skew} 秒）`, en: `The register clock is right (${skew} s off)` } };
      return {
        status: Math.abs(skew) <= CLOCK_FAULT_SECONDS ? 'warning' : 'fault', facts,
        summary: { zh: `收款机时钟与本机相差 ${skew} 秒`, en: `The register clock is ${skew} s off this PC` },
        impact: { zh: '发票和日交易记录的时间不准', en: 'Invoices and daily records carry a wrong time' },
        remedy: { zh: '先确认本机时间正确，再按规定流程（管理卡授权）校准收款机时钟。', en: "Make sure this PC's time is right, then set the register clock by the approved procedure (management-card authorization)." },
        actor: 'technician',
      };
    }

const selfChecks: CheckDefinition[] = selfCheckNames.map((name) => {
  const what = selfCheckLabels[name];
  const fiscalMemory = name === 'memory';
  return {
    id: `self-check.${name}`,
    measures: { zh: `${what.zh}自检（命令 ${(0x5c + selfCheckNames.indexOf(name)).toString(16).toUpperCase()}）`, en: `The ${what.en} self-check (GB link ${(0x5c + selfCheckNames.indexOf(name)).toString(16).toUpperCase()})` },
    evaluate: (o) => needs(o.selfChecks[name], { zh: `${what.zh}自检`, en: `${what.en} self-check` }, (outcome) => (outcome.passed
      ? { status: 'ok', summary: { zh: `${what.zh}自检正常`, en: `The ${what.en} self-check passed` } }
      : {
        status: 'fault', code: outcome.code, facts: { result: outcome.code ?? null, detail: outcome.detail ?? null },
        summary: {
          zh: `${what.zh}自检失败${outcome.detail ? `：${outcome.detail}` : ''}`,
          en: `The ${what.en} self-check failed${outcome.detail ? `: ${outcome.detail}` : ''}`,
        },
        impact: fiscalMemory
          ? { zh: '税控数据可能无法写入或读出', en: 'Fiscal data may not be written or read back' }
          : { zh: '收款机可能随时停止工作或出错', en: 'The register may stop or misbehave at any time' },
        remedy: fiscalMemory
          ? { zh: '税控存储器故障：不得自行更换，请先备份数据并联系税务机关指定的维修点。', en: 'Fiscal memory fault: do not replace it yourself; back up the data and contact the service point named by the tax office.' }
          : { zh: '关机重启后再次诊断；仍失败则送修主板。', en: 'Power-cycle the register and diagnose again; if it still fails, send the main board for repair.' },
        actor: 'factory',
      })),
  };
});

export const registerChecks: readonly CheckDefinition[] = [
  ...selfChecks,
  {
    id: 'clock',
    measures: { zh: '收款机时钟与本机时间之差（按收款机时区）', en: "The register clock against this PC's (in the register time zone)" },
    evaluate: (o) => needs(o.clock, { zh: '时钟（3A）', en: 'clock (3A)' }, (register) => clockOutcome(register, o.host)),
  },
];
