import type { RepositoryStatus } from '../../services/repository/repositoryStatus.js';
import type { CliContext } from '../CliContext.js';
import { displayTime } from '../output/displayTime.js';
import { renderTable } from '../output/table.js';
import { ageText } from './repoDuration.js';

/** GET /v1/repository as fiscalctl receives it. */
export type RepositoryStatusView = RepositoryStatus;

const time = (iso: string) => displayTime(iso) ?? iso;

/**
 * How old the metadata is, in one line: never "latest", only what was verified when, and whether it still
 * speaks for the repository (timestamp not expired).
 */
export function freshnessLine(status: RepositoryStatusView, zh: boolean): string {
  if (status.verifiedAt === null || status.ageSeconds === null) return zh ? '尚未从仓库校验过元数据' : 'No metadata verified from the repository yet';
  const age = ageText(status.ageSeconds, zh);
  const expires = status.timestamp ? time(status.timestamp.expires) : '?';
  if (zh) return `元数据校验于 ${time(status.verifiedAt)}（${age}前）${status.current ? `，有效至 ${expires}` : `，已于 ${expires} 过期：仓库此后可能已有更新的升级包`}`;
  return `Metadata verified ${time(status.verifiedAt)} (${age} ago)${status.current ? `, valid until ${expires}` : `, expired ${expires}: the repository may have newer packages since`}`;
}

/** The packages the trusted targets list, cached or not. */
export function remotePackagesTable(status: RepositoryStatusView, zh: boolean): string {
  if (status.packages.length === 0) return zh ? '仓库元数据中没有升级包\n' : 'The repository metadata lists no packages\n';
  return renderTable(
    zh ? ['编号', '版本', '适用型号', '大小', '已缓存'] : ['ID', 'VERSION', 'MODELS', 'BYTES', 'CACHED'],
    status.packages.map((p) => [p.packageId, p.version, p.models.join(zh ? '、' : ', '), String(p.length), p.cached ? (zh ? '是' : 'yes') : (zh ? '否' : 'no')]),
    { keep: [0] },
  );
}

/** `repo status`: the repository, each metadata version and expiry, how old, what is cached. */
export function statusText(status: RepositoryStatusView, zh: boolean): string {
  const role = (name: string, view: RepositoryStatusView['root']) => {
    if (!view) return zh ? `  ${name}：无\n` : `  ${name}: none\n`;
    const state = view.expired ? (zh ? '已过期' : 'expired') : (zh ? '有效' : 'valid');
    return zh ? `  ${name}：版本 ${view.version}，有效至 ${time(view.expires)}（${state}）\n` : `  ${name}: version ${view.version}, expires ${time(view.expires)} (${state})\n`;
  };
  const names = zh ? ['根', '目标', '快照', '时间戳'] : ['root', 'targets', 'snapshot', 'timestamp'];
  return [
    zh ? `仓库：${status.repository ?? '未配置'}\n` : `Repository: ${status.repository ?? 'not configured'}\n`,
    ...(status.source !== null && status.source !== status.repository ? [zh ? `上次读取自：${status.source}\n` : `Last read from: ${status.source}\n`] : []),
    `${freshnessLine(status, zh)}\n`,
    role(names[0]!, status.root), role(names[1]!, status.targets), role(names[2]!, status.snapshot), role(names[3]!, status.timestamp),
    remotePackagesTable(status, zh),
  ].join('');
}

/** `repo status` (asks fiscald). */
export async function repoStatus(ctx: CliContext): Promise<0> {
  const { repository } = await ctx.client.get<{ repository: RepositoryStatusView }>('/v1/repository');
  if (ctx.json) ctx.printJson({ repository });
  else ctx.print(statusText(repository, ctx.language === 'zh-CN'));
  return 0;
}
