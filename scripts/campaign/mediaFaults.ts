// Campaign part (a) for the USB-stick and IC-card upgrade paths: the stick and card engineers' fault campaigns
// (scripts/campaign/stickFaults.ts, cardFaults.ts), one run at a time until the time given is spent, totals summed.
import { runCardFaultCampaign, type CardFaultTotals } from './cardFaults.js';
import { runStickFaultCampaign, stickFaultKinds, type StickFaultTotals } from './stickFaults.js';

function add<T extends object>(into: T, more: T): T {
  for (const [key, value] of Object.entries(more) as [keyof T, unknown][]) {
    const had = into[key] as unknown;
    if (typeof value === 'number') (into[key] as unknown) = (had as number) + value;
    else if (Array.isArray(value)) (had as unknown[]).push(...value);
    else if (typeof value === 'object' && value !== null) add(had as object, value);
  }
  return into;
}

export interface MediaFaultTotals { stick: StickFaultTotals | null; card: CardFaultTotals | null }

/** Stick runs take each fault kind in turn; card runs draw theirs. Half the time to each path. */
export async function runMediaFaults(options: { seed: number; budgetMs: number; maxRuns?: number }): Promise<MediaFaultTotals> {
  const totals: MediaFaultTotals = { stick: null, card: null };
  const half = Date.now() + options.budgetMs / 2;
  const end = Date.now() + options.budgetMs;
  for (let i = 0; (i === 0 || Date.now() < half) && i < (options.maxRuns ?? Infinity); i += 1) {
    const one = await runStickFaultCampaign({ runs: 1, seed: options.seed * 10_000 + i, kinds: [stickFaultKinds[i % stickFaultKinds.length]!] });
    totals.stick = totals.stick === null ? one : add(totals.stick, one);
  }
  for (let i = 0; (i === 0 || Date.now() < end) && i < (options.maxRuns ?? Infinity); i += 1) {
    const one = await runCardFaultCampaign({ runs: 1, seed: options.seed * 10_000 + i });
    totals.card = totals.card === null ? one : add(totals.card, one);
  }
  return totals;
}
