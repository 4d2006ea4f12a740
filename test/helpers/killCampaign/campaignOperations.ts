import type { CampaignDaemon } from './campaignDevice.js';

/** The five operations the campaign kills the daemon in. */
export type CampaignOperation = 'initialize' | 'change' | 'roll' | 'deregister' | 'backup';
export const campaignOperations: readonly CampaignOperation[] = ['initialize', 'change', 'roll', 'deregister', 'backup'];

export interface CampaignJob {
  readonly id: string;
  readonly kind: string;
  readonly state: string;
  readonly stage: string | null;
  readonly stages: readonly { readonly id: string }[];
  readonly result: unknown;
  readonly error: { readonly code: string } | null;
}

/** How an operation's job was started, or why it was not (a refusal before any job: a dry run that did not pass). */
export type Started = { readonly job: CampaignJob } | { readonly refused: string };

/** Days of sales the register of each operation carries (0: a new register, uninitialized). */
export function historyDaysFor(operation: CampaignOperation): number {
  return operation === 'initialize' ? 0 : 10;
}

function jobOf(reply: { status: number; json: unknown }, what: string): Started {
  const body = reply.json as { job?: CampaignJob; code?: string };
  if ((reply.status === 202 || reply.status === 200) && body.job !== undefined) return { job: body.job };
  return { refused: `${what}: HTTP ${reply.status} ${body.code ?? JSON.stringify(body)}` };
}

/**
 * Starts the operation as an operator would, through the HTTP API: initialization is a dry run, then the
 * confirming POST with its token (a dry run that does not pass is a refusal, and no job starts).
 */
export async function startOperation(daemon: CampaignDaemon, operation: CampaignOperation, machineNumber: string): Promise<Started> {
  const device = `/v1/devices/${machineNumber}`;
  switch (operation) {
    case 'initialize': {
      const dry = await daemon.post<{ ok?: boolean; confirmation?: { token: string }; error?: { code: string }; code?: string }>(`${device}/initialize`, {});
      if (dry.status !== 200 || dry.json.ok !== true || dry.json.confirmation === undefined) {
        return { refused: `dry run: HTTP ${dry.status} ${dry.json.error?.code ?? dry.json.code ?? 'not ok'}` };
      }
      return jobOf(await daemon.post(`${device}/initialize`, { confirm: dry.json.confirmation.token }), 'initialize');
    }
    case 'change':
      return jobOf(await daemon.post(`${device}/changes`, { kind: 'basic-info', taxpayerName: '深圳市断电测试有限公司' }), 'change');
    case 'roll':
      return jobOf(await daemon.post(`${device}/rolls`, {}), 'roll');
    case 'deregister':
      return jobOf(await daemon.post(`${device}/deregister`, { allowUndeclared: true, note: 'kill campaign' }), 'deregister');
    case 'backup':
      return jobOf(await daemon.post(`${device}/backups`, {}), 'backup');
  }
}
