import { readFile } from 'node:fs/promises';
import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import { KEY_ALGORITHMS, parsePublicKeyPem, type KeyAlgorithm } from '../../../protocols/fwpkg/index.js';
import { VendorRepository } from '../../services/repository/VendorRepository.js';
import type { CliContext } from '../CliContext.js';
import { listOption, requirePackageFile, stringOption } from './packageFiles.js';
import { parseDuration } from './repoDuration.js';

function count(ctx: CliContext, name: string): number | undefined {
  const text = stringOption(ctx, name);
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,1}$/.test(text)) throw new GatewayError('CLI_USAGE', { params: { detail: `--${name} ${text}: a whole number 1-64` } });
  return Number(text);
}

function algorithm(ctx: CliContext): KeyAlgorithm | undefined {
  const text = stringOption(ctx, 'algorithm');
  if (text !== undefined && !(KEY_ALGORITHMS as readonly string[]).includes(text)) throw new GatewayError('CLI_USAGE', { params: { detail: `--algorithm ${text}: use ${KEY_ALGORITHMS.join(' or ')}` } });
  return text as KeyAlgorithm | undefined;
}

async function versions(repository: VendorRepository): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const role of ['root', 'targets', 'snapshot', 'timestamp'] as const) out[role] = (await repository.read(role)).signed.version;
  return out;
}

/** `repo init DIR [--keys N --threshold T] [--algorithm A] [--package-keys A.pub,B.pub]`. */
export async function repoInit(ctx: CliContext): Promise<ExitCode> {
  const dir = ctx.positionals[1]!;
  const packageKeys = [];
  for (const file of listOption(ctx, 'package-keys')) packageKeys.push(parsePublicKeyPem(await readFile(file, 'utf8').catch(() => { throw new GatewayError('CLI_USAGE', { params: { detail: `--package-keys ${file}: cannot be read` } }); }), file));
  const keys = count(ctx, 'keys');
  const threshold = count(ctx, 'threshold');
  const alg = algorithm(ctx);
  const repository = await VendorRepository.init(dir, {
    ...(keys === undefined ? {} : { keys }), ...(threshold === undefined ? {} : { threshold }), ...(alg === undefined ? {} : { algorithm: alg }),
    ...(packageKeys.length ? { packageKeys } : {}),
  });
  const root = (await repository.read('root')).signed;
  if (ctx.json) {
    ctx.printJson({ dir, public: repository.publicDir, keys: repository.keysDir, versions: await versions(repository), roles: root.roles });
    return ExitCode.ok;
  }
  const zh = ctx.language === 'zh-CN';
  ctx.print(zh
    ? `已创建仓库 ${dir}\n  ${repository.keysDir}/  私钥（切勿发布）\n  ${repository.publicDir}/  对外发布的静态文件\n  根元数据 1.root.json：根密钥 ${root.roles.root.keyIds.length} 个，门限 ${root.roles.root.threshold}；把它交给网关（fiscald --repository-root）\n`
    : `Created repository ${dir}\n  ${repository.keysDir}/  private keys (never publish)\n  ${repository.publicDir}/  the static files to serve\n  root 1.root.json: ${root.roles.root.keyIds.length} root keys, threshold ${root.roles.root.threshold}; give it to gateways (fiscald --repository-root)\n`);
  return ExitCode.ok;
}

/** `repo add DIR PACKAGE.fwpkg`. */
export async function repoAdd(ctx: CliContext): Promise<ExitCode> {
  const [, dir, file] = ctx.positionals as [string, string, string];
  await requirePackageFile(file);
  const repository = await VendorRepository.open(dir);
  const target = await repository.add(file);
  if (ctx.json) {
    ctx.printJson({ target, versions: await versions(repository) });
    return ExitCode.ok;
  }
  const zh = ctx.language === 'zh-CN';
  ctx.print(zh
    ? `已加入 ${target.name}（版本 ${target.version}，型号 ${target.models.join('、')}，${target.length} 字节）；用 fiscalctl repo publish ${dir} 发布\n`
    : `Added ${target.name} (version ${target.version}, models ${target.models.join(', ')}, ${target.length} bytes); publish it with fiscalctl repo publish ${dir}\n`);
  return ExitCode.ok;
}

/** `repo publish DIR [--expires DURATION]`. */
export async function repoPublish(ctx: CliContext): Promise<ExitCode> {
  const dir = ctx.positionals[1]!;
  const expires = stringOption(ctx, 'expires');
  const repository = await VendorRepository.open(dir);
  const { timestamp, snapshot } = await repository.publish(expires === undefined ? {} : { expiresMs: parseDuration(expires) });
  if (ctx.json) {
    ctx.printJson({ versions: await versions(repository), timestampExpires: timestamp.signed.expires, snapshotExpires: snapshot.signed.expires });
    return ExitCode.ok;
  }
  const zh = ctx.language === 'zh-CN';
  ctx.print(zh
    ? `已发布：快照版本 ${snapshot.signed.version}，时间戳版本 ${timestamp.signed.version}，有效至 ${timestamp.signed.expires}\n`
    : `Published: snapshot version ${snapshot.signed.version}, timestamp version ${timestamp.signed.version}, valid until ${timestamp.signed.expires}\n`);
  return ExitCode.ok;
}

const ROTATABLE = ['timestamp', 'snapshot', 'targets'] as const;

/** `repo rotate-root DIR [--keys N --threshold T] [--algorithm A] [--roles timestamp,snapshot,targets]`. */
export async function repoRotateRoot(ctx: CliContext): Promise<ExitCode> {
  const dir = ctx.positionals[1]!;
  const roles = listOption(ctx, 'roles');
  const unknown = roles.filter((role) => !(ROTATABLE as readonly string[]).includes(role));
  if (unknown.length > 0) throw new GatewayError('CLI_USAGE', { params: { detail: `--roles ${unknown.join(',')}: use ${ROTATABLE.join(', ')}` } });
  const repository = await VendorRepository.open(dir);
  const keys = count(ctx, 'keys');
  const threshold = count(ctx, 'threshold');
  const alg = algorithm(ctx);
  const root = await repository.rotateRoot({
    ...(keys === undefined ? {} : { keys }), ...(threshold === undefined ? {} : { threshold }), ...(alg === undefined ? {} : { algorithm: alg }),
    roles: roles as (typeof ROTATABLE)[number][],
  });
  if (ctx.json) {
    ctx.printJson({ version: root.signed.version, roles: root.signed.roles, expires: root.signed.expires });
    return ExitCode.ok;
  }
  const zh = ctx.language === 'zh-CN';
  const { version } = root.signed;
  ctx.print(zh
    ? `根元数据已轮换到版本 ${version}（新根密钥 ${root.signed.roles.root.keyIds.length} 个，门限 ${root.signed.roles.root.threshold}），由旧、新根密钥共同签名；已写出 ${version}.root.json\n`
    : `Root rotated to version ${version} (${root.signed.roles.root.keyIds.length} new root keys, threshold ${root.signed.roles.root.threshold}), signed by the old and the new root keys; wrote ${version}.root.json\n`);
  return ExitCode.ok;
}
