import type { RegisterStatusFacts, SelfCheckName, SelfCheckOutcome } from './DiagnosticsPort.js';

export type Severity = 'ok' | 'info' | 'warning' | 'fault';

/** One line of a diagnostics report, in plain words for the technician, in both languages. */
export interface Finding {
  readonly check: string;
  readonly severity: Severity;
  readonly zh: string;
  readonly en: string;
  readonly remedyZh?: string;
  readonly remedyEn?: string;
  readonly code?: string;
}

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

export function selfCheckFinding(name: SelfCheckName, outcome: SelfCheckOutcome): Finding {
  const what = selfCheckLabels[name];
  if (outcome.passed) return { check: `self-check:${name}`, severity: 'ok', zh: `${what.zh}自检正常`, en: `The ${what.en} self-check passed` };
  const fiscalMemory = name === 'memory';
  return {
    check: `self-check:${name}`, severity: 'fault', code: outcome.code,
    zh: `${what.zh}自检失败${outcome.detail ? `：${outcome.detail}` : ''}`,
    en: `The ${what.en} self-check failed${outcome.detail ? `: ${outcome.detail}` : ''}`,
    remedyZh: fiscalMemory ? '税控存储器故障：不得自行更换，请先备份数据并联系税务机关指定的维修点。' : '关机重启后再次诊断；仍失败则送修主板。',
    remedyEn: fiscalMemory
      ? 'Fiscal memory fault: do not replace it yourself; back up the data and contact the service point named by the tax office.'
      : 'Power-cycle the register and diagnose again; if it still fails, send the main board for repair.',
  };
}

/** `deviceId` fills in the commands a remedy names, so the technician can run them as written. */
export function statusFindings(status: RegisterStatusFacts, deviceId: string): Finding[] {
  const findings: Finding[] = [];
  findings.push(status.initialized
    ? { check: 'status:initialized', severity: 'ok', zh: '收款机已完成税控初始化', en: 'The register is fiscalized (initialized)' }
    : {
      check: 'status:initialized', severity: 'info', zh: '收款机尚未税控初始化', en: 'The register is not initialized yet',
      remedyZh: '插入匹配的税控卡和用户卡后执行初始化（fiscalctl init）。', remedyEn: 'Insert the matching fiscal and user cards and run initialization (fiscalctl init).',
    });
  if (status.fiscalCardPresent === false) {
    findings.push({
      check: 'status:fiscal-card', severity: 'fault', zh: '未检测到税控卡', en: 'No fiscal card detected',
      remedyZh: '检查税控卡是否插好、触点是否清洁。', remedyEn: 'Check that the fiscal card is seated and its contacts are clean.',
    });
  }
  const locks = status.locks ?? {};
  const lockFindings: [keyof NonNullable<RegisterStatusFacts['locks']>, Omit<Finding, 'check' | 'severity'>][] = [
    ['fiscalMemoryFault', {
      zh: '收款机报告税控存储器故障', en: 'The register reports a fiscal memory fault',
      remedyZh: '先备份数据（fiscalctl backup），再联系税务机关指定的维修点；不得自行更换税控存储器。',
      remedyEn: 'Back up the data first (fiscalctl backup), then contact the service point named by the tax office; never replace the fiscal memory yourself.',
    }],
    ['deadlinePassed', {
      zh: '已过开票截止日期，收款机停止开票', en: 'The issue deadline has passed; the register no longer issues invoices',
      remedyZh: '请纳税人到税务机关申报并完税后，用用户卡更新监控数据。', remedyEn: 'The taxpayer must declare and pay at the tax office, then update the control data with the user card.',
    }],
    ['fiveYear', {
      zh: '收款机已达五年使用期限并锁定', en: 'The register has reached its five-year limit and is locked',
      remedyZh: '按规定办理注销并更换收款机。', remedyEn: 'Deregister it as the rules require and replace the register.',
    }],
    ['fiscalCard', {
      zh: '税控卡已锁定', en: 'The fiscal card is locked',
      remedyZh: '税控卡需由税务机关解锁或更换；不要再尝试 PIN。', remedyEn: 'The tax office must unlock or replace the fiscal card; do not try the PIN again.',
    }],
    ['userCard', {
      zh: '用户卡已锁定', en: 'The user card is locked',
      remedyZh: '请纳税人携用户卡到税务机关处理。', remedyEn: 'The taxpayer must take the user card to the tax office.',
    }],
  ];
  for (const [lock, text] of lockFindings) {
    if (locks[lock]) findings.push({ check: `status:lock:${lock}`, severity: 'fault', ...text });
  }
  if (status.awaitingControlUpdate) {
    findings.push({
      check: 'status:control-update', severity: 'warning', zh: '已申报，等待完税后更新监控数据', en: 'Declared; waiting for the control update after tax payment',
      remedyZh: `完税后插入用户卡，执行 fiscalctl change ${deviceId} monitoring-data 更新监控数据。`,
      remedyEn: `After the tax is paid, insert the user card and run fiscalctl change ${deviceId} monitoring-data to update the control data.`,
    });
  }
  if (status.userCardPresent === false && !status.initialized) {
    findings.push({
      check: 'status:user-card', severity: 'info', zh: '未插入用户卡', en: 'No user card inserted',
      remedyZh: '初始化前插入纳税人的用户卡。', remedyEn: "Insert the taxpayer's user card before initialization.",
    });
  }
  return findings;
}

/** Beyond a minute the register's invoices carry a wrong time; beyond five minutes it is a fault. */
export function clockFinding(device: Date, host: Date): Finding {
  const skew = Math.round((device.getTime() - host.getTime()) / 1000);
  const abs = Math.abs(skew);
  const facts = { zh: `收款机时钟与本机相差 ${skew} 秒`, en: `The register clock is ${skew} s off this PC` };
  if (abs <= 60) return { check: 'clock', severity: 'ok', zh: `收款机时钟正常（相差 ${skew} 秒）`, en: `The register clock is right (${skew} s off)` };
  return {
    check: 'clock', severity: abs <= 300 ? 'warning' : 'fault', ...facts,
    remedyZh: '先确认本机时间正确，再按规定流程（管理卡授权）校准收款机时钟。',
    remedyEn: "Make sure this PC's time is right, then set the register clock by the approved procedure (management-card authorization).",
  };
}

export function verdictOf(findings: readonly Finding[]): { verdict: 'ok' | 'attention' | 'fault'; zh: string; en: string } {
  const faults = findings.filter((f) => f.severity === 'fault').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (faults > 0) return { verdict: 'fault', zh: `发现 ${faults} 项故障，请按提示处理`, en: `${faults} fault(s) found; follow the remedies` };
  if (warnings > 0) return { verdict: 'attention', zh: `有 ${warnings} 项需要注意`, en: `${warnings} item(s) need attention` };
  return { verdict: 'ok', zh: '收款机状态正常', en: 'The register is in good order' };
}
