import { open, rm } from 'node:fs/promises';
import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import { generateKeyPair, KEY_ALGORITHMS, type KeyAlgorithm } from '../../../protocols/fwpkg/index.js';
import type { CliContext } from '../CliContext.js';
import { stringOption } from './packageFiles.js';

/** Writes a new file, never over an existing one, with its mode set on the open file (the umask cannot widen it). */
async function writeNew(path: string, text: string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode).catch((cause: NodeJS.ErrnoException) => {
    if (cause.code === 'EEXIST') throw new GatewayError('FWPKG_KEY_EXISTS', { params: { file: path }, cause });
    throw new GatewayError('CLI_USAGE', { params: { detail: `cannot write ${path}: ${cause.code ?? cause.message}` }, cause });
  });
  try {
    await handle.chmod(mode);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `package keygen --out PREFIX [--algorithm ed25519|sm2]`: PREFIX.key (0600) and PREFIX.pub. */
export async function packageKeygen(ctx: CliContext): Promise<ExitCode> {
  const prefix = stringOption(ctx, 'out', true);
  const algorithm = stringOption(ctx, 'algorithm') ?? 'ed25519';
  if (!(KEY_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new GatewayError('CLI_USAGE', { params: { detail: `--algorithm ${algorithm}: use ${KEY_ALGORITHMS.join(' or ')}` } });
  }
  const pair = generateKeyPair(algorithm as KeyAlgorithm);
  const privatePath = `${prefix}.key`;
  const publicPath = `${prefix}.pub`;
  await writeNew(privatePath, pair.privatePem, 0o600);
  try {
    await writeNew(publicPath, pair.publicPem, 0o644);
  } catch (error) {
    // Half a pair is no use and the private half must not lie about unannounced.
    await rm(privatePath, { force: true });
    throw error;
  }
  const result = { keyId: pair.keyId, algorithm: pair.algorithm, privateKey: privatePath, publicKey: publicPath };
  if (ctx.json) {
    ctx.printJson(result);
    return ExitCode.ok;
  }
  ctx.print(ctx.language === 'zh-CN'
    ? `已生成密钥 ${pair.keyId}\n  ${privatePath}  私钥（权限 0600），妥善保管，切勿外传\n  ${publicPath}  公钥，放入网关的受信任密钥目录\n`
    : `New key ${pair.keyId}\n  ${privatePath}  private key (mode 0600): keep it secret\n  ${publicPath}  public key: put it in the gateway's trusted-keys folder\n`);
  return ExitCode.ok;
}
