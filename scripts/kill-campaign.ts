/**
 * The kill campaign (issue 9): SIGKILLs fiscald at random moments during initialization, a registration
 * change, a roll, deregistration and backup, with the register dying with the daemon (`inproc`:
 * `--simulate`) or surviving it (`pty`: the simulator as its own process on a socat pty pair), and
 * counts what must never happen. Exit 0 only when every counter is 0 and every run could be carried out.
 *
 *   node bin/run-ts.js scripts/kill-campaign.ts --runs 50 --mode both --seed 1 [--json]
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatSummary } from '../test/helpers/killCampaign/campaignReport.js';
import { campaignModes, campaignOperations, runCampaign } from '../test/helpers/killCampaign/runCampaign.js';

const usage = `usage: node bin/run-ts.js scripts/kill-campaign.ts [--runs N] [--mode inproc|pty|both] [--seed S]
                 [--operations initialize,change,roll,deregister,backup] [--concurrency C] [--settle-ms MS]
                 [--keep] [--json]

  --runs N          kills per mode, spread over the operations in turn (default 50)
  --mode M          inproc: the register dies with the daemon (fiscald --simulate, a power loss);
                    pty: the simulator runs as its own process on a socat pty pair and survives the kill;
                    both (default)
  --seed S          seed of the kill moments (default 1); each moment is drawn uniformly over the
                    operation's duration, measured first by one run without a kill, and timed from
                    the last stage the job announced on its event stream before it
  --operations L    comma-separated subset of the operations (default all five)
  --concurrency C   runs at once, each with its own data dir, daemon and register (default 1)
  --settle-ms MS    how long a restarted daemon has to settle its jobs once the device is back (default 30000)
  --keep            keep the data dir of every run where a counter is not 0 and print its path
  --json            print the summary (rows, totals, every run) as one JSON document instead of the table

Counted, each must be 0: fiscal PIN tries spent (the card's try counter read from the simulator's saved
state before and after, never by asking the card), a fiscal card left registered to a register that is not
initialized, a committed backup that verifies while its job is not reported succeeded with it, and jobs
still running or waiting once the device is back. After a kill the daemon is restarted on the same data
dir; when the killed job did not succeed, the operation is tried once more, as an operator would.
Exit status: 0 all counters 0; 1 a counter is not 0 or a run could not be carried out; 2 usage.`;

const Options = z.object({
  runs: z.coerce.number().int().min(1).max(10_000),
  mode: z.enum(['inproc', 'pty', 'both']),
  seed: z.coerce.number().int().min(0).max(0xffffffff),
  operations: z.string().transform((text) => text.split(',').map((each) => each.trim())).pipe(z.array(z.enum(campaignOperations)).min(1)),
  concurrency: z.coerce.number().int().min(1).max(8),
  settleMs: z.coerce.number().int().min(1000).max(600_000),
  keep: z.boolean(),
  json: z.boolean(),
});

function main(): Promise<number> | number {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string', default: '50' },
        mode: { type: 'string', default: 'both' },
        seed: { type: 'string', default: '1' },
        operations: { type: 'string', default: campaignOperations.join(',') },
        concurrency: { type: 'string', default: '1' },
        'settle-ms': { type: 'string', default: '30000' },
        keep: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const parsed = Options.safeParse({ ...values, settleMs: values['settle-ms'] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    process.stderr.write(`--${issue.path.join('.')}: ${issue.message}\n${usage}\n`);
    return 2;
  }
  const options = parsed.data;
  return runCampaign({
    runs: options.runs,
    modes: options.mode === 'both' ? campaignModes : [options.mode],
    operations: options.operations,
    seed: options.seed,
    concurrency: options.concurrency,
    settleMs: options.settleMs,
    keepCounted: options.keep,
    onProgress: (line) => process.stderr.write(`${line}\n`),
  }).then((summary) => {
    process.stdout.write(`${options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary)}\n`);
    return summary.ok ? 0 : 1;
  });
}

process.exitCode = await main();
