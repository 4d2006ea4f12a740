import { describe, expect, it } from 'vitest';
import { clockFinding, statusFindings, verdictOf } from '../../../src/services/diagnostics/findings.js';

describe('diagnostics findings', () => {
  it('a register waiting for the control update names the fiscalctl command to run, with its device id, in both languages', () => {
    const findings = statusFindings({ initialized: true, awaitingControlUpdate: true, raw: {} }, '1100000000000001');
    const update = findings.find((f) => f.check === 'status:control-update');
    expect(update?.severity).toBe('warning');
    expect(update?.remedyEn).toContain('fiscalctl change 1100000000000001 monitoring-data');
    expect(update?.remedyZh).toContain('fiscalctl change 1100000000000001 monitoring-data');
  });

  it('no control-update finding when the register is not waiting for one', () => {
    const findings = statusFindings({ initialized: true, awaitingControlUpdate: false, raw: {} }, '1100000000000001');
    expect(findings.map((f) => f.check)).toEqual(['status:initialized']);
    expect(verdictOf(findings).verdict).toBe('ok');
  });

  it('clock skew: within a minute ok, within five minutes a warning, beyond a fault', () => {
    const host = new Date('2026-01-01T00:00:00Z');
    const at = (seconds: number) => new Date(host.getTime() + seconds * 1000);
    expect(clockFinding(at(-60), host).severity).toBe('ok');
    expect(clockFinding(at(61), host).severity).toBe('warning');
    expect(clockFinding(at(-300), host).severity).toBe('warning');
    expect(clockFinding(at(301), host).severity).toBe('fault');
  });
});
