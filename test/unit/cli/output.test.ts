import { describe, expect, it } from 'vitest';
import { commandTable } from '../../../src/cli/commandTable.js';
import { commandHelp } from '../../../src/cli/helpText.js';
import { changeRows, fieldRows } from '../../../src/cli/output/fieldRows.js';
import { fieldLabel } from '../../../src/cli/output/fieldLabels.js';
import { displayTime, useRegisterTimeZone } from '../../../src/cli/output/displayTime.js';
import { displayWidth, renderTable, setTableWidth, TABLE_WIDTH, tableWidth, wrapText } from '../../../src/cli/output/table.js';

describe('tables at 100 columns', () => {
  const id = '0f6c2a8e-3c1d-4b7e-9a55-6d2f1e0b9c44';
  const rows = [
    [id, 'deregister', '4403605992674944', 'failed', '37%', '2026-03-01 10:00:00', '王工程师（深圳市南山区服务网点）', 'INTERRUPTED_BY_RESTART'],
    [id, 'diagnostics', '/dev/serial/by-id/usb-Fiscal_Register_GB18240_0123456789-if00-port0', 'succeeded', '100%', '2026-03-01 10:00:00', 'li', null],
  ];
  const headers = ['ID', 'KIND', 'DEVICE', 'STATE', 'DONE', 'CREATED', 'OPERATOR', 'ERROR'];

  it('wraps the widest columns so that no line is wider than the limit, and keeps ids whole', () => {
    const table = renderTable(headers, rows, { keep: [0], maxWidth: 130 });
    for (const line of table.trimEnd().split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(130);
    expect(table.split('\n').filter((line) => line.includes(id))).toHaveLength(2);
    expect(table.split('\n')[0]).toMatch(/^ID\s+KIND\s+DEVICE/);
  });

  it('never cuts a date, a number or a word: a column is never narrower than its longest token (issue 14)', () => {
    const table = renderTable(['ID', 'DEADLINE', 'STATE', 'NOTE'], [['1100000000000002', '2029-12-04', '在线（模拟）', 'x '.repeat(60)]], { maxWidth: 40 });
    expect(table).toContain('2029-12-04');
    expect(table).toContain('1100000000000002');
    expect(table).not.toMatch(/^\s*）/m);
    // A table whose tokens cannot fit stays wider than asked rather than cut one.
    const wide = renderTable(['A', 'B'], [['2026-03-01T10:00:00+08:00', 'INTERRUPTED_BY_RESTART_AND_MORE']], { maxWidth: 30 });
    expect(wide).toContain('2026-03-01T10:00:00+08:00');
  });

  it('fits the terminal width runCli sets (stdout.columns), 100 when not a terminal', () => {
    setTableWidth(60);
    try {
      const table = renderTable(['KIND', 'OPERATOR', 'NOTE'], [['deregister', '王工程师（深圳市南山区服务网点）', 'the register already held these fields; nothing was sent']], {});
      expect(tableWidth()).toBe(60);
      for (const line of table.trimEnd().split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
    } finally {
      setTableWidth(undefined);
    }
    expect(tableWidth()).toBe(TABLE_WIDTH);
  });

  it('puts a note under its row, wrapped to the full width', () => {
    const note = 'INTERRUPTED_BY_RESTART: The job was interrupted by a gateway restart; check the device (fiscalctl diagnose) and run it again';
    const table = renderTable(['ID', 'STATE'], [[id, 'failed'], [id, 'succeeded']], { keep: [0], notes: [note, null] });
    const lines = table.trimEnd().split('\n');
    expect(lines[1]).toMatch(/failed$/);
    expect(lines[2]).toMatch(/^ {4}INTERRUPTED_BY_RESTART: The job/);
    expect(lines.at(-1)).toMatch(/succeeded$/);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(TABLE_WIDTH);
    expect(lines.slice(2, -1).map((l) => l.trim()).join(' ')).toBe(note);
  });

  it('leaves a table that fits as it was, and aligns by display width, CJK counting double', () => {
    expect(renderTable(['A', 'B'], [['王工', 1], ['x', null]])).toBe('A     B\n王工  1\nx     -\n');
    expect(renderTable(['A', 'B'], [['line\nbreak', 'x']])).toBe('A           B\nline break  x\n');
  });

  it('shows times in the register\'s zone (UTC+8 unless FISCALD_REGISTER_UTC_OFFSET says otherwise), not the PC\'s', () => {
    try {
      useRegisterTimeZone({});
      expect(displayTime('2026-12-05T11:38:43.632Z')).toBe('2026-12-05 19:38');
      expect(displayTime('2026-12-05T20:38:43Z', 'short')).toBe('12-06 04:38');
      expect(displayTime('2026-12-05T11:38:43.632Z', 'seconds')).toBe('2026-12-05 19:38:43');
      useRegisterTimeZone({ FISCALD_REGISTER_UTC_OFFSET: '-05:00' });
      expect(displayTime('2026-12-05T11:38:43.632Z')).toBe('2026-12-05 06:38');
      useRegisterTimeZone({ FISCALD_REGISTER_UTC_OFFSET: 'Asia/Shanghai' });
      expect(displayTime('2026-12-05T11:38:43.632Z')).toBe('2026-12-05 19:38');
    } finally {
      useRegisterTimeZone({});
    }
  });

  it('names what a restore plan writes and leaves in Chinese', () => {
    for (const what of ['taxpayer', 'tax items', 'fiscal memory', 'header lines and goods items']) expect(fieldLabel(what, 'zh-CN')).toMatch(/^\p{Script=Han}+$/u);
  });

  it('wraps text at spaces and between Chinese words where it can, inside a word only where it must', () => {
    expect(wrapText('the register already held these fields', 16)).toEqual(['the register', 'already held', 'these fields']);
    // Chinese breaks between words, never inside one (not 南/山, not 未诊/断).
    expect(wrapText('税控收款机故障证明', 8)).toEqual(['税控', '收款机', '故障证明']);
    expect(wrapText('没有可用的发票卷', 8)).toEqual(['没有', '可用的', '发票卷']);
    expect(wrapText('上次诊断：未诊断', 6)).toEqual(['上次', '诊断：', '未诊断']);
    expect(wrapText('在线（模拟）', 8)).toEqual(['在线', '（模拟）']);
    expect(wrapText('已初始化，需注意', 10)).toEqual(['已初始化，', '需注意']);
    expect(wrapText('INTERRUPTED_BY_RESTART', 12)).toEqual(['INTERRUPTED_', 'BY_RESTART']);
    expect(wrapText('registration-change', 14)).toEqual(['registration-', 'change']);
    expect(wrapText('0123456789abcdef', 10)).toEqual(['0123456789', 'abcdef']);
    expect(wrapText('', 5)).toEqual(['']);
  });

  it('shows a change as fields before and after, never as JSON', () => {
    expect(fieldRows({ register: { taxpayerName: '甲', items: [1, 2] }, empty: {} })).toEqual([['register.taxpayerName', '甲'], ['register.items', '1, 2'], ['empty', '-']]);
    expect(changeRows({ register: { name: 'a' } }, { register: { name: 'b', phone: '1' } })).toEqual([['register.name', 'a', 'b'], ['register.phone', '-', '1']]);
  });
});

describe('fiscalctl --help', () => {
  it('names every option and positional of every command in its usage or help', () => {
    for (const command of commandTable) {
      const help = commandHelp(command);
      expect(command.usage.startsWith(command.name), command.name).toBe(true);
      for (const positional of command.positionals) expect(command.usage, `${command.name} ${positional.name}`).toContain(positional.name);
      for (const option of Object.keys(command.options ?? {})) expect(help, `${command.name} --${option}`).toContain(`--${option}`);
    }
  });
});
