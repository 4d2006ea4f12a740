import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { daemonConfigSchema } from '../../../src/daemon/config.js';

const unit = readFileSync(new URL('../../../udev/fiscald.service', import.meta.url), 'utf8');

/** `TimeoutStopSec=` in seconds (plain seconds, `s`, `min` and combinations such as `3min 30s`). */
function seconds(value: string): number {
  let total = 0;
  for (const [, amount, suffix] of value.matchAll(/(\d+)\s*(min|m|s)?/g)) total += Number(amount) * (suffix === 'min' || suffix === 'm' ? 60 : 1);
  return total;
}

describe('udev/fiscald.service', () => {
  it('gives fiscald longer to stop than its own shutdown grace, so systemd never kills a critical step it is finishing', () => {
    const match = /^TimeoutStopSec=(.+)$/m.exec(unit);
    expect(match).not.toBeNull();
    const grace = daemonConfigSchema.parse({}).shutdownGraceSeconds;
    expect(seconds(match![1]!)).toBeGreaterThan(grace);
  });

  it('sends SIGTERM to the daemon only, never to the whole group first', () => {
    expect(unit).toMatch(/^KillMode=mixed$/m);
  });

  it('waits for readiness (Type=notify from systemd-notify, a child: NotifyAccess=all) and lets the fiscal group read the token', () => {
    expect(unit).toMatch(/^Type=notify$/m);
    expect(unit).toMatch(/^NotifyAccess=all$/m);
    expect(unit).toMatch(/^Group=fiscal$/m);
    // 0027: the token fiscald creates 0640 stays group-readable; others get nothing.
    expect(unit).toMatch(/^UMask=0027$/m);
    expect(unit).toMatch(/^StateDirectoryMode=0750$/m);
  });
});
