import type { CheckDefinition } from './CheckDefinition.js';
import { needs } from './CheckDefinition.js';

const BURST = { zh: '联机测试（00）', en: 'link burst (00)' };
/** A round trip over this is a line or register so slow that long reads (backups) will take far too long. */
export const SLOW_ROUND_TRIP_MS = 1000;

const cable = {
  zh: '检查串口线或USB线是否插紧、收款机是否通电；确认端口和波特率设置正确后重新诊断。',
  en: 'Check that the serial or USB cable is plugged in and the register is powered; confirm the port and baud rate and diagnose again.',
};

export const linkChecks: readonly CheckDefinition[] = [
  {
    id: 'link.answers',
    measures: { zh: '收款机是否应答联机命令', en: 'Whether the register answers the connect command' },
    evaluate: (o) => needs(o.link, BURST, (burst) => (burst.answered === burst.sent
      ? { status: 'ok', summary: { zh: `收款机应答正常（${burst.answered}/${burst.sent}）`, en: `The register answers (${burst.answered}/${burst.sent})` }, facts: { sent: burst.sent, answered: burst.answered } }
      : {
        status: 'fault', code: burst.failure?.code, facts: { sent: burst.sent, answered: burst.answered },
        summary: burst.answered === 0
          ? { zh: '收款机没有应答', en: 'The register does not answer' }
          : { zh: `收款机应答不稳定（${burst.answered}/${burst.sent}）`, en: `The register answers unreliably (${burst.answered}/${burst.sent})` },
        impact: { zh: '网关无法读取或操作这台收款机', en: 'The gateway cannot read or operate this register' },
        remedy: cable, actor: 'operator',
      })),
  },
  {
    id: 'link.round-trip',
    measures: { zh: '联机命令往返时间', en: 'Round trip of the connect command' },
    evaluate: (o) => needs(o.link, BURST, (burst) => {
      if (burst.roundTripsMs.length === 0) return { status: 'not-run', reason: { zh: '没有应答，无法测量', en: 'No answer to time' } };
      const max = Math.max(...burst.roundTripsMs);
      const average = Math.round((burst.roundTripsMs.reduce((a, b) => a + b, 0) / burst.roundTripsMs.length) * 10) / 10;
      const facts = { averageMs: average, maxMs: max, samples: burst.roundTripsMs.length };
      if (max <= SLOW_ROUND_TRIP_MS) return { status: 'ok', facts, summary: { zh: `往返时间正常（平均 ${average} 毫秒）`, en: `Round trip normal (average ${average} ms)` } };
      return {
        status: 'warning', facts,
        summary: { zh: `往返时间过长（最长 ${max} 毫秒）`, en: `Round trip too long (up to ${max} ms)` },
        impact: { zh: '备份和发票读取会很慢，可能超时', en: 'Backups and invoice reads will be slow and may time out' },
        remedy: { zh: '缩短或更换串口线，去掉中间的转换器，再重新诊断。', en: 'Use a shorter or new cable without adapters in between, then diagnose again.' },
        actor: 'technician',
      };
    }),
  },
  {
    id: 'link.errors',
    measures: { zh: '联机测试中的校验错误和重发', en: 'CRC errors and re-sends during the link burst' },
    evaluate: (o) => needs(o.link, BURST, (burst) => {
      const facts = { resentBytes: burst.resentBytes, sent: burst.sent };
      if (burst.answered === 0) return { status: 'not-run', facts, reason: { zh: '没有应答，无法统计', en: 'No answer to count' } };
      if (burst.resentBytes === 0) return { status: 'ok', facts, summary: { zh: '线路无校验错误、无重发', en: 'No CRC errors or re-sends on the line' } };
      return {
        status: 'warning', facts,
        summary: { zh: `线路有干扰：重发 ${burst.resentBytes} 字节`, en: `The line is noisy: ${burst.resentBytes} bytes re-sent` },
        impact: { zh: '操作变慢，干扰严重时可能中断', en: 'Operations slow down and may break off when the noise gets worse' },
        remedy: { zh: '检查串口线和接头，远离电源线和电机，必要时更换线缆。', en: 'Check the cable and connectors, keep them away from power cables and motors, replace the cable if needed.' },
        actor: 'technician',
      };
    }),
  },
];
