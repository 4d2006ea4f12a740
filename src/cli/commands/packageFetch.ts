import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import type { RemotePackageView } from '../../services/repository/repositoryStatus.js';
import type { CliContext } from '../CliContext.js';
import { DaemonProblem } from '../DaemonProblem.js';
import { stringOption } from './packageFiles.js';
import { freshnessLine, remotePackagesTable, type RepositoryStatusView } from './repoStatusView.js';

interface FetchAnswer {
  readonly fetched: readonly (RemotePackageView & { readonly downloaded: boolean })[];
  readonly models: readonly string[];
  readonly repository: RepositoryStatusView;
}

/** Downloads at least this large get a progress line on a terminal. */
const PROGRESS_FROM_BYTES = 256 * 1024;

/** Polls GET /v1/repository while a fetch runs and draws the download on stderr (a terminal only). */
function drawProgress(ctx: CliContext): () => void {
  if (!ctx.io.stderr.isTTY || ctx.json) return () => undefined;
  const zh = ctx.language === 'zh-CN';
  let drawn = false;
  let stopped = false;
  const tick = async () => {
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const status = await ctx.client.get<{ repository: RepositoryStatusView }>('/v1/repository').catch(() => undefined);
      const download = status?.repository.download;
      if (stopped || !download || download.length < PROGRESS_FROM_BYTES) continue;
      const percent = Math.floor((download.received / download.length) * 100);
      const mib = (n: number) => (n / 1048576).toFixed(1);
      const resumed = download.resumedFrom > 0 ? (zh ? `，续传自 ${mib(download.resumedFrom)} MiB` : `, resumed at ${mib(download.resumedFrom)} MiB`) : '';
      ctx.io.stderr.write(`\r${zh ? '下载' : 'Downloading'} ${download.name.slice(0, 24)}… ${percent}% (${mib(download.received)}/${mib(download.length)} MiB${resumed})  `);
      drawn = true;
    }
  };
  void tick();
  return () => {
    stopped = true;
    if (drawn) ctx.io.stderr.write('\n');
  };
}

/**
 * When the repository cannot be reached, what the gateway can still do: the packages verified and cached
 * earlier, and how old the metadata that listed them is. Then the error (exit 5) as any command reports it.
 */
async function explainOffline(ctx: CliContext, error: unknown): Promise<never> {
  if (!ctx.json && error instanceof DaemonProblem && error.code === 'REPO_UNREACHABLE') {
    const zh = ctx.language === 'zh-CN';
    const status = await ctx.client.get<{ repository: RepositoryStatusView }>('/v1/repository').then((r) => r.repository, () => undefined);
    if (status) {
      const cached = status.packages.filter((p) => p.cached);
      ctx.io.stderr.write(`${freshnessLine(status, zh)}\n`);
      ctx.io.stderr.write(cached.length === 0
        ? (zh ? '没有已缓存的升级包\n' : 'No package is cached\n')
        : `${zh ? '以下已校验并缓存的升级包仍可用于升级（fiscalctl upgrade 编号 --package 包编号）：' : 'These verified, cached packages can still be used to upgrade (fiscalctl upgrade ID --package PACKAGE-ID):'}\n${cached.map((p) => `  ${p.packageId}  ${p.version}  ${p.models.join(zh ? '、' : ', ')}`).join('\n')}\n`);
    }
  }
  throw error;
}

/** `package fetch [--model M] [--all] [--from DIR|URL | --from-stick]`: fiscald fetches, verifies and keeps packages from the repository. */
export async function packageFetch(ctx: CliContext): Promise<ExitCode> {
  const model = stringOption(ctx, 'model');
  const all = ctx.options.all === true;
  const from = stringOption(ctx, 'from');
  const fromStick = ctx.options['from-stick'] === true;
  if (model !== undefined && all) throw new GatewayError('CLI_USAGE', { params: { detail: 'package fetch: --model or --all, not both' } });
  if (from !== undefined && fromStick) throw new GatewayError('CLI_USAGE', { params: { detail: 'package fetch: --from or --from-stick, not both' } });
  const stop = drawProgress(ctx);
  let answer: FetchAnswer;
  try {
    answer = await ctx.client.post<FetchAnswer>('/v1/repository/fetch', { ...(model === undefined ? {} : { model }), ...(all ? { all } : {}), ...(from === undefined ? {} : { from }), ...(fromStick ? { fromStick } : {}) });
  } catch (error) {
    stop();
    return explainOffline(ctx, error);
  }
  stop();
  if (ctx.json) {
    ctx.printJson(answer);
    return ExitCode.ok;
  }
  const zh = ctx.language === 'zh-CN';
  const lines = answer.fetched.length === 0
    ? [zh ? `没有要获取的升级包${answer.models.length === 0 && !all ? '（网关尚未识别到收款机型号；用 --model 或 --all）' : ''}` : `Nothing to fetch${answer.models.length === 0 && !all ? ' (no register model known yet; use --model or --all)' : ''}`]
    : answer.fetched.map((p) => (zh
      ? `${p.downloaded ? '已下载、校验并保存' : '已保存过'} ${p.packageId}：版本 ${p.version}，型号 ${p.models.join('、')}`
      : `${p.downloaded ? 'Downloaded, verified and kept' : 'Already kept'} ${p.packageId}: version ${p.version}, models ${p.models.join(', ')}`));
  ctx.print(`${lines.join('\n')}\n${freshnessLine(answer.repository, zh)}\n`);
  return ExitCode.ok;
}

/** `package list --remote`: refreshes the metadata, then lists what the repository offers and what is cached. */
export async function packageListRemote(ctx: CliContext): Promise<ExitCode> {
  let status: RepositoryStatusView;
  let exit: ExitCode = ExitCode.ok;
  try {
    ({ repository: status } = await ctx.client.post<{ repository: RepositoryStatusView }>('/v1/repository/refresh', {}));
  } catch (error) {
    if (!(error instanceof DaemonProblem && error.code === 'REPO_UNREACHABLE')) throw error;
    // Offline: what was verified before, said as such, and exit 5.
    ({ repository: status } = await ctx.client.get<{ repository: RepositoryStatusView }>('/v1/repository'));
    const zh = ctx.language === 'zh-CN';
    ctx.io.stderr.write(zh ? `fiscalctl: 无法连接仓库，以下为此前校验过的元数据\n` : `fiscalctl: the repository cannot be reached; this is the metadata verified before\n`);
    exit = ExitCode.unreachable;
  }
  if (ctx.json) {
    ctx.printJson({ repository: status });
    return exit;
  }
  const zh = ctx.language === 'zh-CN';
  ctx.print(`${freshnessLine(status, zh)}\n${remotePackagesTable(status, zh)}`);
  return exit;
}
