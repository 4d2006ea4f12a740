import type { CliContext } from '../CliContext.js';
import { freshnessLine, type RepositoryStatusView } from './repoStatusView.js';

/**
 * Before an upgrade from a package the vendor repository delivered: says (on stderr) how old the metadata that
 * listed it is, and whether it has expired, so an offline counter knows what it installs is not claimed to be
 * the newest. Says nothing for an uploaded package, or when fiscald has no repository view.
 */
export async function sayRepositoryAge(ctx: CliContext, packageId: string): Promise<void> {
  let status: RepositoryStatusView;
  try {
    ({ repository: status } = await ctx.client.get<{ repository: RepositoryStatusView }>('/v1/repository'));
  } catch {
    return;
  }
  if (!status.packages.some((p) => p.packageId === packageId && p.cached)) return;
  const zh = ctx.language === 'zh-CN';
  ctx.io.stderr.write(zh ? `升级包 ${packageId} 来自厂商仓库。${freshnessLine(status, zh)}\n` : `Package ${packageId} came from the vendor repository. ${freshnessLine(status, zh)}\n`);
}
