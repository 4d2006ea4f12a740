import { ExitCode } from '../../../contracts/errors/index.js';
import { loadTrustedKeys } from '../../services/packages/trustedKeys.js';
import { verifyPackageFile } from '../../services/packages/verifyPackageFile.js';
import type { CliContext } from '../CliContext.js';
import { requirePackageFile, trustedKeysDir } from './packageFiles.js';
import { manifestLines } from './packageManifestView.js';

/**
 * `package verify FILE [--trusted-keys DIR]`, without the daemon: exit 0 when the package verifies against the
 * folder's keys, else the refusal (its code, its text in the chosen language, exit 3) as any command reports one.
 */
export async function packageVerify(ctx: CliContext): Promise<ExitCode> {
  const file = ctx.positionals[1]!;
  await requirePackageFile(file);
  const zh = ctx.language === 'zh-CN';
  const trusted = await loadTrustedKeys(trustedKeysDir(ctx));
  for (const skipped of trusted.skipped) ctx.io.stderr.write(zh ? `fiscalctl: 已跳过无法读取的公钥 ${skipped.file}\n` : `fiscalctl: skipped ${skipped.file}: ${skipped.reason}\n`);
  if (trusted.missing) ctx.io.stderr.write(zh ? `fiscalctl: 受信任密钥目录 ${trusted.dir} 不存在\n` : `fiscalctl: the trusted-keys folder ${trusted.dir} does not exist\n`);
  const verified = await verifyPackageFile(file, trusted.keys);
  if (ctx.json) {
    ctx.printJson({ file, verified: true, keyId: verified.key.keyId, trustedKeys: trusted.dir, manifest: verified.manifest });
    return ExitCode.ok;
  }
  ctx.print(`${zh ? `${file}：签名与摘要校验通过（密钥 ${verified.key.keyId}）` : `${file}: signature and digests verify (key ${verified.key.keyId})`}\n${manifestLines(verified.manifest, zh, { matches: true }).join('\n')}\n`);
  return ExitCode.ok;
}
