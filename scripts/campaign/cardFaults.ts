// Campaign part for the IC-card path (issue 11 item 8), in process: upgrades of a simulated register through
// virtual upgrade cards while the technician pulls cards at seeded moments — mid-write (the UPDATE BINARY being
// programmed is torn), mid-read (read-back or header), while the gateway looks at the card — and the reader garbles a read.
// Each run ends classified by what the register runs and what the job says; a job that reports success without the
// register on the target, or a register running neither image, counts against the campaign.
//
//   node bin/run-ts.js scripts/campaign/cardFaults.ts [--runs 20] [--seed 1] [--json]
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { GatewayError } from '../../contracts/errors/index.js';
import type { VirtualUpgradeCard } from '../../fixtures/cards/VirtualUpgradeCard.js';
import { Rng } from '../../fixtures/simulator/Rng.js';
import { cardHarness, closeCardHarnesses, packageOf } from '../../test/helpers/cardUpgradeHarness.js';

export const cardFaultKinds = ['pull-mid-write', 'pull-mid-read', 'pull-while-looking', 'garbled-read'] as const;
export type CardFaultKind = (typeof cardFaultKinds)[number];
export type CardOutcome = 'new-verified' | 'old-working' | 'bricked' | 'unverified-success';

export interface CardFaultTotals {
  runs: number;
  faults: number;
  faultsByKind: Record<CardFaultKind, number>;
  outcomes: Record<CardOutcome, number>;
  /** Card bytes written again because a card was pulled or read back wrong, per resume. */
  rewrittenPerResume: number[];
  problems: string[];
}

const TARGET = '2.4.0';

/** One upgrade with `faults` faults at exchanges drawn from `rng`; what the register runs afterwards decides the outcome. */
async function runOne(rng: Rng, seed: number, totals: CardFaultTotals): Promise<void> {
  const { upgrade, reader, register } = await cardHarness({ profile: rng.chance(0.5) ? 'extended' : 'short', transfer: { maxAttempts: 6 } });
  const count = rng.int(3, 8);
  const at = new Set<number>();
  while (at.size < count) at.add(rng.int(3, 200));
  let exchanges = 0;
  reader.wrap = (inner) => ({
    description: inner.description, reset: () => inner.reset(),
    transmit: async (apdu) => {
      exchanges += 1;
      if (!at.has(exchanges)) return inner.transmit(apdu);
      const card = reader.channel.card as VirtualUpgradeCard | undefined;
      if (card === undefined) return inner.transmit(apdu);
      const kind: CardFaultKind = apdu[1] === 0xd7 ? 'pull-mid-write' : apdu[1] === 0xb1 ? (rng.chance(0.5) ? 'pull-mid-read' : 'garbled-read') : 'pull-while-looking';
      totals.faults += 1;
      totals.faultsByKind[kind] += 1;
      if (kind === 'garbled-read') {
        const response = await inner.transmit(apdu);
        if (response.length > 8) response[4] = response[4]! ^ 0x5a;
        return response;
      }
      if (kind === 'pull-mid-write') {
        card.tearNextWrite(rng.int(0, 200));
        await inner.transmit(apdu);
      }
      reader.channel.remove();
      throw new GatewayError('CARD_REMOVED', { params: { reader: reader.name } });
    },
  });
  const { job } = await upgrade(await packageOf(TARGET, 20_000 + rng.int(0, 10_000)));
  totals.runs += 1;
  const running = register.simulator.firmware.running.version;
  const write = (job.result as { write?: { resumes?: { resent: number }[] } } | undefined)?.write;
  for (const resume of write?.resumes ?? []) totals.rewrittenPerResume.push(resume.resent);
  let outcome: CardOutcome;
  if (job.state === 'succeeded') outcome = running === TARGET && register.simulator.firmware.trial === null ? 'new-verified' : 'unverified-success';
  else outcome = running === '2.3.1' ? 'old-working' : running === TARGET ? 'new-verified' : 'bricked';
  totals.outcomes[outcome] += 1;
  if (outcome === 'bricked' || outcome === 'unverified-success') totals.problems.push(`seed ${seed}: ${outcome} (job ${job.state}, register runs ${running})`);
  await closeCardHarnesses();
}

export async function runCardFaultCampaign(options: { runs: number; seed: number }): Promise<CardFaultTotals> {
  const totals: CardFaultTotals = {
    runs: 0, faults: 0, faultsByKind: { 'pull-mid-write': 0, 'pull-mid-read': 0, 'pull-while-looking': 0, 'garbled-read': 0 },
    outcomes: { 'new-verified': 0, 'old-working': 0, bricked: 0, 'unverified-success': 0 }, rewrittenPerResume: [], problems: [],
  };
  for (let run = 0; run < options.runs; run += 1) {
    const seed = options.seed * 1000 + run;
    await runOne(new Rng(seed), seed, totals);
  }
  return totals;
}

export function formatCardFaultTotals(totals: CardFaultTotals): string {
  const resumes = totals.rewrittenPerResume;
  const mean = resumes.length === 0 ? 0 : resumes.reduce((a, b) => a + b, 0) / resumes.length;
  return [
    `IC-card path: ${totals.runs} runs, ${totals.faults} faults (${Object.entries(totals.faultsByKind).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    `  outcomes: ${Object.entries(totals.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `  card bytes written again per resume: ${resumes.length} resumes, mean ${mean.toFixed(0)}, max ${Math.max(0, ...resumes)}`,
    ...totals.problems.map((p) => `  PROBLEM ${p}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } } });
  const totals = await runCardFaultCampaign({ runs: Number(values.runs ?? 20), seed: Number(values.seed ?? 1) });
  console.log(values.json === true ? JSON.stringify(totals) : formatCardFaultTotals(totals));
  process.exitCode = totals.problems.length === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
