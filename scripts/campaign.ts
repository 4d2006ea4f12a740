/**
 * The reliability campaign (issue 15), bounded by a time budget split among its parts:
 *
 *   npm run campaign -- --minutes 10 [--seed 1] [--only faults,decoders,http,kills,soak] [--json]
 *
 * (a) faults: serial upgrades and backups of simulated registers under link cuts, drops, corruption, delays, power
 * loss mid-write, a trial image that does not boot and restarts mid-write, plus real SIGKILLs of fiscald mid-write;
 * (b) decoders: property fuzzing of every decoder in protocols/; (c) http: malformed requests to every route of the
 * OpenAPI document; (d) kills: SIGKILL restarts during jobs (the kill campaign); (e) soak: mixed jobs on three
 * registers with RSS and descriptors sampled. Exit 0 when nothing counted against it, 1 otherwise, 2 usage.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatCampaign } from './campaign/formatCampaign.js';
import { campaignParts, runReliabilityCampaign } from './campaign/runCampaign.js';

const usage = 'usage: npm run campaign -- [--minutes N] [--seed S] [--only faults,decoders,http,kills,soak] [--json]';

const Options = z.object({
  minutes: z.coerce.number().min(0.5).max(24 * 60),
  seed: z.coerce.number().int().min(0).max(0xffffffff),
  only: z.string().transform((text) => text.split(',').map((each) => each.trim())).pipe(z.array(z.enum(campaignParts)).min(1)),
  json: z.boolean(),
});

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        minutes: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' },
        only: { type: 'string', default: campaignParts.join(',') }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
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
  const parsed = Options.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    process.stderr.write(`--${issue.path.join('.')}: ${issue.message}\n${usage}\n`);
    return 2;
  }
  const { minutes, seed, only, json } = parsed.data;
  const result = await runReliabilityCampaign({ minutes, seed, parts: only, say: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${json ? JSON.stringify(result, null, 2) : formatCampaign(result)}\n`);
  return result.failures.length === 0 ? 0 : 1;
}

process.exitCode = await main();
// Timers of the simulator and agents must not hold the process once the verdict is out.
process.exit(process.exitCode);
