import { createReadStream } from 'node:fs';
import { ExitCode } from '../../../contracts/errors/index.js';
import { ImageMeasurer, parseManifestBytes, readFwpkgStream } from '../../../protocols/fwpkg/index.js';
import type { CliContext } from '../CliContext.js';
import { requirePackageFile } from './packageFiles.js';
import { manifestLines } from './packageManifestView.js';

/**
 * `package inspect FILE`: what a package says of itself, for people (zh/en) or --json, with whether its image
 * matches the manifest. Nothing is trusted here: the signature is only reported present, `verify` checks it.
 */
export async function packageInspect(ctx: CliContext): Promise<ExitCode> {
  const file = ctx.positionals[1]!;
  await requirePackageFile(file);
  const measurer = new ImageMeasurer();
  const head = await readFwpkgStream(createReadStream(file), (chunk) => measurer.update(chunk));
  const manifest = parseManifestBytes(head.manifest);
  const image = measurer.digest();
  const matches = image.size === manifest.size && image.sha256 === manifest.sha256 && image.sm3 === manifest.sm3;
  const signed = head.signature.length > 0;
  if (ctx.json) {
    ctx.printJson({ file, verified: false, signed, image: { ...image, matchesManifest: matches }, manifest });
    return ExitCode.ok;
  }
  const zh = ctx.language === 'zh-CN';
  const heading = zh
    ? `升级包 ${file}（${signed ? '有签名' : '无签名'}；此处未验证签名，请用 fiscalctl package verify）`
    : `Firmware package ${file} (${signed ? 'signed' : 'UNSIGNED'}; signature not checked here: use fiscalctl package verify)`;
  ctx.print(`${heading}\n${manifestLines(manifest, zh, { matches }).join('\n')}\n`);
  return ExitCode.ok;
}
