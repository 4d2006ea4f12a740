import { describe, expect, it } from 'vitest';
import { ExitCode, errorCatalog } from '../../../contracts/errors/index.js';
import { DaemonProblem } from '../../../src/cli/DaemonProblem.js';
import type { JobView } from '../../../src/cli/types.js';
import { jobExitCode } from '../../../src/cli/watchJob.js';

function failedJob(code: string): JobView {
  return {
    id: 'j', kind: 'k', deviceId: 'd', operator: 'o', state: 'failed', stage: null, fraction: 0.5, etaSeconds: null,
    createdAt: '', finishedAt: '', result: null, error: { code, message: 'm', messageZh: 'm' },
  };
}

describe('fiscalctl exit codes', () => {
  it('are the catalogue\'s for every code, whether the daemon refused the request or the job failed with it', () => {
    for (const [code, spec] of Object.entries(errorCatalog)) {
      expect(new DaemonProblem(spec.http, { code, status: spec.http }).exitCode, code).toBe(spec.exit);
      expect(jobExitCode(failedJob(code)), code).toBe(spec.exit);
    }
    expect(jobExitCode({ ...failedJob('X'), state: 'succeeded', error: null })).toBe(ExitCode.ok);
    expect(jobExitCode({ ...failedJob('X'), state: 'cancelled', error: { code: 'CANCELLED', message: '', messageZh: '' } })).toBe(ExitCode.failed);
  });

  it('judge a code of a newer daemon by its status: 503/504 unreachable, anything else (a 409 too) failed', () => {
    expect(new DaemonProblem(503, { code: 'NEWER_THING' }).exitCode).toBe(ExitCode.unreachable);
    expect(new DaemonProblem(504, {}).exitCode).toBe(ExitCode.unreachable);
    expect(new DaemonProblem(409, { code: 'NEWER_REFUSAL' }).exitCode).toBe(ExitCode.failed);
    expect(new DaemonProblem(500, { title: 'proxy error' }).exitCode).toBe(ExitCode.failed);
    expect(jobExitCode(failedJob('NEWER_THING'))).toBe(ExitCode.failed);
  });
});
