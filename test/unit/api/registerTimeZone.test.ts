import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { simulatedRegisterPath } from '../../../fixtures/simulate/simulatorFiles.js';
import { startInProcessDaemon, type InProcessDaemon } from './daemonHarness.js';

let daemon: InProcessDaemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
});

interface Finding { check: string; severity: string; en: string }

async function diagnose(d: InProcessDaemon, deviceId: string): Promise<Finding> {
  const started = await d.request({ method: 'POST', url: `/v1/devices/${deviceId}/diagnostics`, headers: { 'x-operator': 'tz-test' } });
  expect(started.statusCode).toBeLessThan(300);
  const { job } = started.json() as { job: { id: string } };
  const settled = await d.daemon.jobs.settled(job.id);
  expect(settled?.state).toBe('succeeded');
  const view = (await d.request({ method: 'GET', url: `/v1/jobs/${job.id}` })).json() as { result: { findings: Finding[] } };
  return view.result.findings.find((f) => f.check === 'clock')!;
}

describe('fiscald --register-utc-offset (one register time zone setting, SPEC.md §4.1)', () => {
  it('with Z, simulated registers keep UTC clocks, diagnostics read them right (no "-28800 s off") and initialization\'s clock check passes', async () => {
    daemon = await startInProcessDaemon({ config: { registerUtcOffset: 'Z' } });
    const saved = JSON.parse(readFileSync(simulatedRegisterPath(daemon.dataDir, 1), 'utf8')) as { clock: { utcOffsetMinutes: number } };
    expect(saved.clock.utcOffsetMinutes).toBe(0);
    const clock = await diagnose(daemon, daemon.fresh.id);
    expect(clock.severity).toBe('ok');
    expect(clock.en).not.toMatch(/28[0-9]{3} s/);
    const dryRun = await daemon.request({ method: 'POST', url: `/v1/devices/${daemon.fresh.id}/initialize`, payload: {}, headers: { 'x-operator': 'tz-test' } });
    const checks = (dryRun.json() as { checks: { id: string; passed: boolean }[] }).checks;
    expect(checks.find((c) => c.id === 'register-clock')).toMatchObject({ passed: true });
  });
});
