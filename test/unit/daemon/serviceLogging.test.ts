import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { journalStream, logFormat, syslogPriority } from '../../../src/log.js';
import { notifySystemdReady } from '../../../src/daemon/systemdNotify.js';

describe('fiscald under systemd: log priorities, format, readiness', () => {
  it('maps pino levels to syslog priorities', () => {
    expect([10, 20, 30, 40, 50, 60].map(syslogPriority)).toEqual([7, 7, 6, 4, 3, 2]);
  });

  it('prefixes each JSON line with <N> so journald files it at that priority (journalctl -p warning)', () => {
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, journalStream({ write: (text: string) => lines.push(text) }));
    log.warn({ path: '/dev/ttyUSB0' }, 'register went away');
    log.info('listening');
    log.error('store failed');
    expect(lines.map((line) => line.slice(0, 4))).toEqual(['<4>{', '<6>{', '<3>{']);
    expect(JSON.parse(lines[0]!.slice(3))).toMatchObject({ level: 40, msg: 'register went away', path: '/dev/ttyUSB0' });
  });

  it('chooses journal when stdout is the journal stream, pretty on a terminal, JSON otherwise; FISCALD_LOG_FORMAT overrides', () => {
    expect(logFormat({ JOURNAL_STREAM: '8:12345' }, false, '8:12345')).toBe('journal');
    expect(logFormat({ JOURNAL_STREAM: '8:12345' }, true, '8:12345')).toBe('journal');
    // Inherited by a process whose stdout is something else (a pipe a test reads): not the journal.
    expect(logFormat({ JOURNAL_STREAM: '8:12345' }, false, '0:999')).toBe('json');
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ FISCALD_LOG_FORMAT: 'json' }, true)).toBe('json');
  });

  it('tells systemd it is ready through systemd-notify only when NOTIFY_SOCKET is set; a failure is a warning', async () => {
    const calls: (readonly string[])[] = [];
    const warnings: unknown[] = [];
    const log = { info: () => undefined, warn: (fields: unknown) => { warnings.push(fields); } } as never;
    expect(await notifySystemdReady({}, log, async (file, args) => { calls.push([file, ...args]); })).toBe(false);
    expect(calls).toEqual([]);
    expect(await notifySystemdReady({ NOTIFY_SOCKET: '/run/systemd/notify' }, log, async (file, args) => { calls.push([file, ...args]); })).toBe(true);
    expect(calls[0]!.slice(0, 3)).toEqual(['systemd-notify', '--ready', `--pid=${process.pid}`]);
    // Synchronous: systemd-notify exits only once PID 1 has processed the message (no race under NotifyAccess=all).
    expect(calls[0]).not.toContain('--no-block');
    expect(await notifySystemdReady({ NOTIFY_SOCKET: '/run/systemd/notify' }, log, async () => { throw new Error('ENOENT'); })).toBe(false);
    expect(warnings).toHaveLength(1);
  });
});
