import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import type { UpgradePath } from '../../../protocols/fwpkg/manifest.js';
import type { CliContext } from '../CliContext.js';
import { cliText } from '../cliText.js';
import { exitCodeOf } from '../exitCodeOf.js';
import { renderTable } from '../output/table.js';
import { stageLabel } from '../output/stageLabels.js';
import type { DeviceView, JobView } from '../types.js';

/** One register of `--devices FILE`, how its upgrade went (the `--json` document has one per line of the file). */
export interface BatchDeviceResult {
  readonly device: string;
  readonly jobId: string | null;
  readonly state: 'queued' | 'running' | 'verified' | 'reverted' | 'failed' | 'refused';
  readonly before: string | null;
  readonly after: string | null;
  readonly verified: boolean;
  readonly reverted: boolean;
  readonly durationSeconds: number | null;
  readonly errorCode: string | null;
  /** While running: stage and fraction. */
  readonly stage?: string | null;
  readonly fraction?: number;
}

const deviceId = z.string().trim().min(1).max(64).regex(/^[0-9A-Za-z._:-]+$/, 'a device id');
const HEADER_CELLS = new Set(['id', 'device', 'devices', 'machine', 'machinenumber', 'machine_number', '编号', '设备', '设备编号', '机器编号']);

/**
 * `--devices FILE`: a CSV (or one id a line) whose first cell on each line is a device id (GET /v1/devices' id, the
 * machine number); a first line whose first cell is a column name is a header; blank lines and lines starting with
 * `#` are skipped; other cells are ignored. A bad id or a device listed twice is a usage error naming the line.
 */
export function parseDeviceList(text: string): string[] {
  const ids: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const first = firstCell(trimmed);
    if (ids.length === 0 && HEADER_CELLS.has(first.toLowerCase().replace(/\s+/g, ''))) return;
    const parsed = deviceId.safeParse(first);
    if (!parsed.success) throw new GatewayError('CLI_USAGE', { params: { detail: `--devices: ${index + 1}: ${first}` } });
    if (ids.includes(parsed.data)) throw new GatewayError('CLI_USAGE', { params: { detail: `--devices: ${index + 1}: ${parsed.data} ×2` } });
    ids.push(parsed.data);
  });
  if (ids.length === 0) throw new GatewayError('CLI_USAGE', { params: { detail: '--devices: 0' } });
  return ids;
}

function firstCell(line: string): string {
  if (!line.startsWith('"')) return (line.split(/[,;\t]/)[0] ?? '').trim();
  const end = line.indexOf('"', 1);
  return (end < 0 ? line.slice(1) : line.slice(1, end)).trim();
}

export interface BatchOptions {
  readonly devices: readonly string[];
  readonly packageId: string;
  readonly path: UpgradePath;
  readonly concurrency: number;
  readonly allowDowngrade: boolean;
  readonly reinstall: boolean;
  /** How often running jobs are looked at, ms (tests make it short). */
  readonly pollMs?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One upgrade job per register, at most `concurrency` at a time, each started with its own Idempotency-Key and
 * followed by GET /v1/jobs/{id}. On a terminal the table is redrawn in place as the jobs move; otherwise a line is
 * printed when a register starts and when it ends; with --json one document at the end. Exit 0 only when every
 * register verified; otherwise the exit code all the failures share (3 when every one was refused), else 1.
 */
export async function runUpgradeBatch(ctx: CliContext, options: BatchOptions): Promise<ExitCode> {
  const before = await firmwareVersions(ctx);
  const rows: Mutable<BatchDeviceResult>[] = options.devices.map((device) => ({
    device, jobId: null, state: 'queued', before: before.get(device) ?? null, after: null, verified: false, reverted: false, durationSeconds: null, errorCode: null,
  }));
  const live = !ctx.json && ctx.io.stdout.isTTY === true;
  let drawnLines = 0;
  const redraw = () => {
    if (!live) return;
    const table = batchTable(rows, ctx.language);
    ctx.print(`${drawnLines > 0 ? `\x1b[${drawnLines}A\x1b[J` : ''}${table}`);
    drawnLines = table.split('\n').length - 1;
  };
  const say = (row: BatchDeviceResult) => {
    if (!live && !ctx.json) ctx.print(batchLine(row, ctx.language));
  };

  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      await upgradeOne(ctx, options, row, () => { say(row); redraw(); }, redraw);
    }
  };
  redraw();
  const ticker = live ? setInterval(redraw, 1000) : undefined;
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, rows.length)) }, worker));
  } finally {
    if (ticker !== undefined) clearInterval(ticker);
  }
  const after = await firmwareVersions(ctx).catch(() => new Map<string, string>());
  for (const row of rows) row.after ??= after.get(row.device) ?? null;
  redraw();
  const verified = rows.filter((row) => row.verified).length;
  if (ctx.json) {
    ctx.printJson({ devices: rows.map(({ stage: _stage, fraction: _fraction, ...row }) => row), total: rows.length, verified });
  } else {
    if (!live) ctx.print(batchTable(rows, ctx.language));
    ctx.print(`${cliText(ctx.language, 'batchSummary', { verified, total: rows.length })}\n`);
  }
  return batchExitCode(rows);
}

export function batchExitCode(rows: readonly BatchDeviceResult[]): ExitCode {
  const failures = rows.filter((row) => !row.verified);
  if (failures.length === 0) return ExitCode.ok;
  const codes = new Set(failures.map((row) => exitCodeOf(row.errorCode ?? undefined)));
  return codes.size === 1 ? [...codes][0]! : ExitCode.failed;
}

async function firmwareVersions(ctx: CliContext): Promise<Map<string, string>> {
  const { devices } = await ctx.client.get<{ devices: DeviceView[] }>('/v1/devices');
  return new Map(devices.flatMap((d) => (d.identity === undefined ? [] : [[d.id, d.identity.firmwareVersion] as const])));
}

async function upgradeOne(ctx: CliContext, options: BatchOptions, row: Mutable<BatchDeviceResult>, ended: () => void, moved: () => void): Promise<void> {
  const started = Date.now();
  const finish = () => {
    row.durationSeconds = Math.round((Date.now() - started) / 100) / 10;
    ended();
  };
  let job: JobView;
  try {
    ({ job } = await ctx.client.post<{ job: JobView }>(`/v1/devices/${encodeURIComponent(row.device)}/upgrade`, {
      package: options.packageId, path: options.path, allowDowngrade: options.allowDowngrade, reinstall: options.reinstall,
    }, { 'idempotency-key': randomUUID() }));
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    // Refused before a job started (version gate, busy, offline, not found): this register only.
    row.state = exitCodeOf(error.code) === ExitCode.refused ? 'refused' : 'failed';
    row.errorCode = error.code;
    finish();
    return;
  }
  row.jobId = job.id;
  row.state = 'running';
  if (!ctx.json && ctx.io.stdout.isTTY !== true) ctx.print(batchLine(row, ctx.language));
  moved();
  for (;;) {
    row.stage = job.stage;
    row.fraction = job.fraction;
    if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled') break;
    await sleep(options.pollMs ?? 500);
    job = await ctx.client.get<JobView>(`/v1/jobs/${encodeURIComponent(job.id)}`);
  }
  const result = job.result as { before?: string; after?: string; verified?: boolean } | null;
  const error = job.error as { code: string; data?: { reverted?: boolean; running?: string } } | null;
  row.verified = job.state === 'succeeded' && result?.verified === true;
  row.reverted = error?.code === 'UPGRADE_REVERTED' && error.data?.reverted !== false;
  row.before = result?.before ?? row.before;
  row.after = result?.after ?? null;
  row.errorCode = row.verified ? null : (error?.code ?? (job.state === 'cancelled' ? 'CANCELLED' : 'INTERNAL'));
  row.state = row.verified ? 'verified' : row.reverted ? 'reverted' : 'failed';
  finish();
}

const stateWords = {
  queued: { 'zh-CN': '排队', en: 'queued' }, running: { 'zh-CN': '进行中', en: 'running' }, verified: { 'zh-CN': '已核对', en: 'verified' },
  reverted: { 'zh-CN': '已退回', en: 'reverted' }, failed: { 'zh-CN': '失败', en: 'failed' }, refused: { 'zh-CN': '被拒绝', en: 'refused' },
} as const;

function stateCell(row: BatchDeviceResult, language: 'zh-CN' | 'en'): string {
  const word = stateWords[row.state][language];
  if (row.state !== 'running') return word;
  const stage = stageLabel(row.stage ?? null, language);
  return `${stage ?? word} ${Math.round((row.fraction ?? 0) * 100)}%`;
}

const yesNo = (value: boolean, language: 'zh-CN' | 'en') => cliText(language, value ? 'yes' : 'no');

export function batchTable(rows: readonly BatchDeviceResult[], language: 'zh-CN' | 'en'): string {
  const head = (['batchDevice', 'batchState', 'batchBefore', 'batchAfter', 'batchVerified', 'batchReverted', 'batchDuration', 'batchError'] as const)
    .map((key) => cliText(language, key));
  return renderTable(head, rows.map((row) => [
    row.device, stateCell(row, language), row.before, row.after,
    row.state === 'queued' || row.state === 'running' ? undefined : yesNo(row.verified, language),
    row.state === 'queued' || row.state === 'running' ? undefined : yesNo(row.reverted, language),
    row.durationSeconds === null ? undefined : `${row.durationSeconds}${language === 'zh-CN' ? ' 秒' : ' s'}`, row.errorCode,
  ]), { keep: [0] });
}

/** One plain line (no terminal): a register started or ended. */
export function batchLine(row: BatchDeviceResult, language: 'zh-CN' | 'en'): string {
  if (row.state === 'running') return `${cliText(language, 'batchStarted', { device: row.device, job: row.jobId ?? '' })}\n`;
  return `${cliText(language, 'batchEnded', {
    device: row.device, state: stateWords[row.state][language], before: row.before ?? '?', after: row.after ?? '?',
    seconds: row.durationSeconds ?? 0, code: row.errorCode === null ? '' : ` ${row.errorCode}`,
  })}\n`;
}
