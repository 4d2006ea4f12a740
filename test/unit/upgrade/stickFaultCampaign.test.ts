import { describe, expect, it } from 'vitest';
import { runStickFaultCampaign } from '../../../scripts/campaign/stickFaults.js';

/**
 * The fast slice of the stick path's fault campaign (scripts/campaign/stickFaults.ts): one run of each fault the
 * other unit tests do not already drive one by one — a damaged copy seeded at a random byte, a stick damaged on the
 * way to the register, the line cut while the job waits, fiscald restarted at three points of the path. Every run
 * ends as its fault must (old version working with the fault's code, or the new version verified and confirmed).
 */
describe('USB-stick fault campaign, fast slice', () => {
  it('ends every run on the old version working or the new one verified; none bricked, no success unverified', async () => {
    const totals = await runStickFaultCampaign({
      runs: 8, seed: 7,
      kinds: ['read-only', 'full', 'bad-read-back', 'damaged-on-the-way', 'line-cut-while-waiting', 'restart-after-staging', 'restart-stick-with-technician', 'restart-copy-damaged'],
    });
    expect(totals.problems).toEqual([]);
    expect(totals.runs).toBe(8);
    expect(totals.outcomes.bricked + totals.outcomes['unverified-success']).toBe(0);
    expect(totals.outcomes['old-working']).toBe(4);
    expect(totals.outcomes.resumed).toBe(3);
    // A copy that still verified was not made again; a damaged one was.
    expect(totals.copiedAgainPerResume.filter((bytes) => bytes === 0)).toHaveLength(2);
  }, 120_000);
});
