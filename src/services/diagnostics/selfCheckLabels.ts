import type { SelfCheckName } from './DiagnosticsPort.js';

/**
 * What each self-check is called, in the words of GB link SPEC.md §5.13 (a test holds them to its
 * table): 61 is the cycle self-check (循环自检) that runs all the others in turn, not a clock test.
 */
export const selfCheckLabels: Readonly<Record<SelfCheckName, { zh: string; en: string }>> = {
  cpu: { zh: '处理器', en: 'processor (CPU)' },
  rom: { zh: '程序存储器 (ROM)', en: 'program memory (ROM)' },
  ram: { zh: '内存 (RAM)', en: 'working memory (RAM)' },
  memory: { zh: '税控存储器', en: 'fiscal memory' },
  serial: { zh: '串口', en: 'serial port' },
  cycle: { zh: '循环（依次全部）', en: 'cycle (all checks in turn)' },
};
