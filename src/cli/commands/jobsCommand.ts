import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import { renderTable } from '../output/table.js';
import type { JobView } from '../types.js';

export const jobsCommand: Command = {
  name: 'jobs', summary: 'List recent jobs, newest first', usage: 'jobs [--device ID] [--state STATE] [--limit N]', positionals: [],
  options: { device: { type: 'string' }, state: { type: 'string' }, limit: { type: 'string' } },
  async run(ctx) {
    const query = new URLSearchParams();
    for (const name of ['device', 'state', 'limit'] as const) {
      const value = ctx.options[name];
      if (typeof value === 'string') query.set(name, value);
    }
    const { jobs } = await ctx.client.get<{ jobs: JobView[] }>(`/v1/jobs${query.size ? `?${query}` : ''}`);
    if (ctx.json) {
      ctx.printJson({ jobs });
      return ExitCode.ok;
    }
    ctx.print(renderTable(
      ['ID', 'KIND', 'DEVICE', 'STATE', 'PROGRESS', 'OPERATOR', 'CREATED', 'ERROR'],
      jobs.map((j) => [j.id, j.kind, j.deviceId, j.state, `${Math.round(j.fraction * 100)}%`, j.operator, j.createdAt, j.error?.code]),
    ));
    return ExitCode.ok;
  },
};
