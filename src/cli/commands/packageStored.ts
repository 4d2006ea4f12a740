import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import type { FwpkgManifest } from '../../../protocols/fwpkg/index.js';
import type { CliContext } from '../CliContext.js';
import { displayTime } from '../output/displayTime.js';
import { renderTable } from '../output/table.js';
import { readNamedFile, requirePackageFile } from './packageFiles.js';
import { manifestLines } from './packageManifestView.js';

/** A package as fiscald keeps it (GET /v1/packages). */
interface StoredPackageView {
  readonly id: string;
  readonly manifest: FwpkgManifest;
  readonly bytes: number;
  readonly receivedAt: string;
  readonly operator: string;
  readonly keyId: string;
}

/** `package upload FILE`: fiscald verifies it against its own trusted keys and keeps it, or refuses it (exit 3). */
export async function packageUpload(ctx: CliContext): Promise<ExitCode> {
  const file = ctx.positionals[1]!;
  await requirePackageFile(file);
  const data = new Uint8Array(await readNamedFile(file, 'FILE'));
  const { package: stored } = await ctx.client.postBytes<{ package: StoredPackageView }>('/v1/packages', data);
  if (ctx.json) {
    ctx.printJson({ package: stored });
    return ExitCode.ok;
  }
  const zh = ctx.language === 'zh-CN';
  ctx.print(`${zh ? `网关已校验并保存升级包 ${stored.id}：` : `fiscald verified and keeps package ${stored.id}:`}\n${manifestLines(stored.manifest, zh, { matches: true }).join('\n')}\n`);
  return ExitCode.ok;
}

/** `package list`: the packages fiscald keeps, newest first. */
export async function packageList(ctx: CliContext): Promise<ExitCode> {
  const { packages } = await ctx.client.get<{ packages: StoredPackageView[] }>('/v1/packages');
  if (ctx.json) {
    ctx.printJson({ packages });
    return ExitCode.ok;
  }
  const zh = ctx.language === 'zh-CN';
  if (packages.length === 0) {
    ctx.print(zh ? '网关上没有升级包\n' : 'No packages on the gateway\n');
    return ExitCode.ok;
  }
  ctx.print(renderTable(
    zh ? ['编号', '版本', '可升级自', '适用型号', '接收时间'] : ['ID', 'VERSION', 'FROM', 'MODELS', 'RECEIVED'],
    packages.map((p) => [p.id, p.manifest.version, `${p.manifest.versionLowest}+`, p.manifest.models.join(zh ? '、' : ', '), displayTime(p.receivedAt) ?? p.receivedAt]),
    { keep: [0] },
  ));
  return ExitCode.ok;
}

/** `package delete ID`: fiscald removes a kept package. */
export async function packageDelete(ctx: CliContext): Promise<ExitCode> {
  const id = ctx.positionals[1]!;
  if (!/^[0-9a-f]{32}$/.test(id)) throw new GatewayError('CLI_USAGE', { params: { detail: `package delete ID: "${id}" is not a package id (32 hex digits, see fiscalctl package list)` } });
  const { deleted } = await ctx.client.delete<{ deleted: StoredPackageView }>(`/v1/packages/${id}`);
  if (ctx.json) {
    ctx.printJson({ deleted });
    return ExitCode.ok;
  }
  ctx.print(ctx.language === 'zh-CN' ? `已删除升级包 ${deleted.id}（版本 ${deleted.manifest.version}）\n` : `Removed package ${deleted.id} (version ${deleted.manifest.version})\n`);
  return ExitCode.ok;
}
