import { GatewayError } from '../../../contracts/errors/index.js';
import type { ServiceRecord } from '../../store/types.js';
import { serviceDay } from '../common/serviceCalendar.js';
import { a4Page, escapeHtml, fieldTable, signatureLines } from './htmlPage.js';

/**
 * The documents the service procedures require, from a stored diagnosis report (cited by its id) and the
 * service records: the fault certificate (《税控收款机故障证明》), the not-initialized certificate
 * (《税控收款机未初始化证明》, 表单-10) and the repair record (《税控装置维修记录表》, 表单-06, signed by the user).
 * Each is JSON (`fields`, named as on the form) and a printable A4 Chinese page with its signature lines.
 */
export type CertificateKind = 'fault' | 'not-initialized' | 'repair';

/** The part of a stored diagnosis report a certificate quotes. */
export interface DiagnosisForCertificate {
  readonly id: string;
  readonly deviceId: string;
  readonly machineNumber: string;
  readonly checkedAt: string;
  readonly operator: string;
  readonly checks: readonly {
    readonly id: string; readonly status: string; readonly summary: { readonly zh: string };
    readonly remedy?: { readonly zh: string }; readonly code?: string; readonly facts: Readonly<Record<string, unknown>>;
  }[];
  readonly register: {
    readonly initialized: boolean | null;
    readonly taxpayer: { readonly number: string; readonly id: string; readonly name: string } | null;
  };
  readonly repeats?: readonly { readonly check: string; readonly zh: string }[];
}

export interface Certificate {
  readonly kind: CertificateKind;
  readonly title: string;
  /** The form's number in the procedures, when it has one. */
  readonly form: string | null;
  readonly source: { readonly diagnosisId: string | null; readonly recordId: number | null };
  readonly machineNumber: string;
  readonly taxpayer: { readonly number: string; readonly id: string; readonly name: string } | null;
  readonly fields: readonly (readonly [string, string])[];
  readonly findings: readonly { readonly check: string; readonly zh: string; readonly code: string | null; readonly remedy: string | null }[];
  readonly issuedAt: string;
}

const factOf = (d: DiagnosisForCertificate, check: string, fact: string) => d.checks.find((c) => c.id === check)?.facts[fact];
const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const taxpayerLine = (t: Certificate['taxpayer']) => (t === null ? '（未登记）' : `${t.name}`);

function base(d: DiagnosisForCertificate, now: Date) {
  return {
    machineNumber: d.machineNumber,
    taxpayer: d.register.taxpayer,
    commonFields: [
      ['机器编号', d.machineNumber],
      ['型号', text(factOf(d, 'identity.machine', 'model'))],
      ['固件版本', text(factOf(d, 'identity.firmware', 'firmwareVersion'))],
      ['纳税人名称', taxpayerLine(d.register.taxpayer)],
      ['纳税人识别号', d.register.taxpayer?.id ?? ''],
      ['检测时间', `${serviceDay(d.checkedAt)}（诊断报告 ${d.id}）`],
      ['检测人员', d.operator],
    ] as [string, string][],
    issuedAt: now.toISOString(),
  };
}

export function faultCertificate(d: DiagnosisForCertificate, now: Date): Certificate {
  const faults = d.checks.filter((c) => c.status === 'fault');
  if (faults.length === 0) throw new GatewayError('CERTIFICATE_NOT_APPLICABLE', { params: { reasonZh: `诊断 ${d.id} 未发现故障`, reason: `diagnosis ${d.id} found no fault` } });
  const b = base(d, now);
  return {
    kind: 'fault', title: '税控收款机故障证明', form: null, source: { diagnosisId: d.id, recordId: null },
    machineNumber: b.machineNumber, taxpayer: b.taxpayer, issuedAt: b.issuedAt,
    fields: [...b.commonFields, ['故障现象', faults.map((f) => f.summary.zh).join('；')], ['重复故障', (d.repeats ?? []).map((r) => r.zh).join('；') || '无']],
    findings: faults.map((f) => ({ check: f.id, zh: f.summary.zh, code: f.code ?? null, remedy: f.remedy?.zh ?? null })),
  };
}

export function notInitializedCertificate(d: DiagnosisForCertificate, now: Date): Certificate {
  if (d.register.initialized !== false) {
    throw new GatewayError('CERTIFICATE_NOT_APPLICABLE', { params: { reasonZh: `诊断 ${d.id} 未读到“未初始化”`, reason: `diagnosis ${d.id} did not find the register not initialized` } });
  }
  const b = base(d, now);
  const state = d.checks.find((c) => c.id === 'fiscal.state');
  return {
    kind: 'not-initialized', title: '税控收款机未初始化证明', form: '表单-10', source: { diagnosisId: d.id, recordId: null },
    machineNumber: b.machineNumber, taxpayer: b.taxpayer, issuedAt: b.issuedAt,
    fields: [...b.commonFields, ['税控状态', '未初始化（收款机未进入税控状态，未开具过税控发票）']],
    findings: state === undefined ? [] : [{ check: state.id, zh: state.summary.zh, code: state.code ?? null, remedy: state.remedy?.zh ?? null }],
  };
}

/** 表单-06 from a repair record (POST /v1/records/repairs), quoting the diagnosis it cites when there is one. */
export function repairRecordForm(record: ServiceRecord, d: DiagnosisForCertificate | undefined, now: Date): Certificate {
  if (record.action !== 'repair') throw new GatewayError('CERTIFICATE_NOT_APPLICABLE', { params: { reasonZh: `记录 ${record.id} 不是维修记录`, reason: `record ${record.id} is not a repair` } });
  const checks = Array.isArray(record.params.checks) ? record.params.checks.map(String) : [];
  const found = d === undefined ? [] : d.checks.filter((c) => checks.includes(c.id));
  const machineNumber = record.machineNumber ?? record.deviceId;
  return {
    kind: 'repair', title: '税控装置维修记录表', form: '表单-06', source: { diagnosisId: d?.id ?? null, recordId: record.id },
    machineNumber, taxpayer: d?.register.taxpayer ?? null, issuedAt: now.toISOString(),
    fields: [
      ['机器编号', machineNumber], ['纳税人名称', taxpayerLine(d?.register.taxpayer ?? null)], ['纳税人识别号', d?.register.taxpayer?.id ?? ''],
      ['维修日期', serviceDay(record.at)], ['维修人员', record.operator],
      ['故障现象', found.map((c) => c.summary.zh).join('；') || checks.join('、')],
      ['维修内容', text(record.params.work)], ['更换部件', text(record.params.parts) || '无'],
      ['诊断报告', d?.id ?? '无'], ['服务记录编号', String(record.id)],
    ],
    findings: found.map((c) => ({ check: c.id, zh: c.summary.zh, code: c.code ?? null, remedy: c.remedy?.zh ?? null })),
  };
}

/** The printable page: A4, Chinese, the named fields, the findings, and the signature lines the form needs. */
export function certificatePage(certificate: Certificate, unit = ''): string {
  const findings = certificate.findings.length === 0 ? '' : `<table><tr><th>检查项目</th><td>结果与处理意见</td></tr>${certificate.findings.map((f) =>
    `<tr><th>${escapeHtml(f.check)}</th><td>${escapeHtml(f.zh)}${f.code ? `（代码 ${escapeHtml(f.code)}）` : ''}${f.remedy ? `<br>处理：${escapeHtml(f.remedy)}` : ''}</td></tr>`).join('')}</table>`;
  const signers = certificate.kind === 'repair' ? ['维修人员', '用户'] : ['检测人员', '服务单位（盖章）'];
  const body = `<p>${certificate.form ? `${escapeHtml(certificate.form)}　　` : ''}服务单位：${escapeHtml(unit)}　　出具日期：${serviceDay(certificate.issuedAt)}</p>
${fieldTable(certificate.fields)}
${findings}
<p class="note">本证明依据税控收款机服务网关的诊断报告和服务记录出具，服务凭证保存五年。</p>
${signatureLines(...signers)}`;
  return a4Page(certificate.title, body);
}
