import { GatewayError } from '../../contracts/errors/index.js';
import type { CliContext } from './CliContext.js';
import { cliText } from './cliText.js';
import type { JobView } from './types.js';

/** A whole job id (a UUID): asked for as it is, no listing needed. */
const WHOLE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The job a user means by what they typed: a whole id as is, else the one job of the recent ones (GET /v1/jobs, at
 * most 1000) whose id starts with it, so the short ids tables show work wherever a job is named. None is
 * JOB_NOT_FOUND (exit 1, as every not-found), several a usage error listing them.
 */
export async function resolveJobId(ctx: CliContext, typed: string): Promise<string> {
  const prefix = typed.replace(/…$/, '').trim().toLowerCase();
  if (WHOLE_ID.test(prefix)) return prefix;
  const { jobs } = await ctx.client.get<{ jobs: JobView[] }>('/v1/jobs?limit=1000');
  const matches = prefix === '' ? [] : jobs.filter((job) => job.id.toLowerCase().startsWith(prefix));
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) throw new GatewayError('JOB_NOT_FOUND', { params: { jobId: typed } });
  const ids = matches.slice(0, 5).map((job) => job.id).join(', ');
  throw new GatewayError('CLI_USAGE', { params: { detail: cliText(ctx.language, 'jobAmbiguous', { prefix: typed, ids }) } });
}
