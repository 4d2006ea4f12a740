import { writeFileAtomic } from '../../../platform/atomicWrite.js';
import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import {
  buildFwpkg, parseFirmwareVersion, parsePrivateKeyPem, UPGRADE_PATHS, verifyFwpkg, type UpgradePath,
} from '../../../protocols/fwpkg/index.js';
import type { CliContext } from '../CliContext.js';
import { listOption, readNamedFile, stringOption } from './packageFiles.js';
import { manifestLines, UNSPECIFIED_VENDOR } from './packageManifestView.js';

/**
 * `package build --image F --version V --model M [--models …] [--paths …] [--lowest V] [--bootloader-lowest V]
 * [--notes TEXT] [--vendor NAME] --key PREFIX.key -o OUT.fwpkg`: the package is written, read back and verified
 * with the key's public half before this says it is done.
 */
export async function packageBuild(ctx: CliContext): Promise<ExitCode> {
  const imagePath = stringOption(ctx, 'image', true);
  const keyPath = stringOption(ctx, 'key', true);
  const out = stringOption(ctx, 'output', true);
  const version = parseFirmwareVersion(stringOption(ctx, 'version', true), '--version');
  const versionLowest = parseFirmwareVersion(stringOption(ctx, 'lowest') ?? '0.0.0', '--lowest');
  const bootloaderLowest = parseFirmwareVersion(stringOption(ctx, 'bootloader-lowest') ?? '0.0.0', '--bootloader-lowest');
  const models = [...new Set([stringOption(ctx, 'model', true), ...listOption(ctx, 'models')])];
  const paths = listOption(ctx, 'paths');
  for (const path of paths) {
    if (!(UPGRADE_PATHS as readonly string[]).includes(path)) throw new GatewayError('CLI_USAGE', { params: { detail: `--paths: "${path}" is not one of ${UPGRADE_PATHS.join(', ')}` } });
  }
  const image = new Uint8Array(await readNamedFile(imagePath, '--image'));
  if (image.length === 0) throw new GatewayError('CLI_USAGE', { params: { detail: `--image ${imagePath} is empty` } });
  const key = parsePrivateKeyPem((await readNamedFile(keyPath, '--key')).toString('utf8'), keyPath);
  const built = await buildFwpkg({
    image, key, models, version, versionLowest, bootloaderLowest,
    vendor: stringOption(ctx, 'vendor') ?? UNSPECIFIED_VENDOR,
    paths: (paths.length ? [...new Set(paths)] : [...UPGRADE_PATHS]) as UpgradePath[],
    releaseNotes: stringOption(ctx, 'notes') ?? '',
    createdAt: new Date(),
  });
  await writeFileAtomic(out, built.bytes, { mode: 0o644 });
  const verified = await verifyFwpkg(new Uint8Array(await readNamedFile(out, '-o')), [key.publicKey]);
  const result = { file: out, bytes: built.bytes.length, keyId: verified.key.keyId, manifest: verified.manifest };
  if (ctx.json) {
    ctx.printJson(result);
    return ExitCode.ok;
  }
  const zh = ctx.language === 'zh-CN';
  ctx.print(`${zh ? `已生成升级包 ${out}（${result.bytes} 字节），读回校验通过：` : `Built ${out} (${result.bytes} bytes), read back and verified:`}\n${manifestLines(verified.manifest, zh).join('\n')}\n`);
  return ExitCode.ok;
}
