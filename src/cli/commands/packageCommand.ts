import { GatewayError, type ExitCode } from '../../../contracts/errors/index.js';
import type { CliContext } from '../CliContext.js';
import type { Command } from '../Command.js';
import { packageBuild } from './packageBuild.js';
import { packageInspect } from './packageInspect.js';
import { packageKeygen } from './packageKeygen.js';
import { packageFetch, packageListRemote } from './packageFetch.js';
import { packageDelete, packageList, packageUpload } from './packageStored.js';
import { packageVerify } from './packageVerify.js';

interface Subcommand {
  readonly run: (ctx: CliContext) => Promise<ExitCode>;
  /** Whether it takes FILE (or a package ID). */
  readonly file: boolean;
  readonly options: readonly string[];
}

/** The package sub-commands: the first four work on files without the daemon, the last three ask fiscald. */
const subcommands: Record<string, Subcommand> = {
  keygen: { run: packageKeygen, file: false, options: ['out', 'algorithm'] },
  build: { run: packageBuild, file: false, options: ['image', 'version', 'model', 'models', 'paths', 'lowest', 'bootloader-lowest', 'notes', 'vendor', 'key', 'output'] },
  verify: { run: packageVerify, file: true, options: ['trusted-keys'] },
  inspect: { run: packageInspect, file: true, options: [] },
  upload: { run: packageUpload, file: true, options: [] },
  list: { run: (ctx) => (ctx.options.remote === true ? packageListRemote(ctx) : packageList(ctx)), file: false, options: ['remote'] },
  fetch: { run: packageFetch, file: false, options: ['model', 'all', 'from', 'from-stick'] },
  delete: { run: packageDelete, file: true, options: [] },
};

const packageOptions = {
  out: { type: 'string' }, algorithm: { type: 'string' },
  image: { type: 'string' }, version: { type: 'string' }, model: { type: 'string' }, models: { type: 'string' }, paths: { type: 'string' },
  lowest: { type: 'string' }, 'bootloader-lowest': { type: 'string' }, notes: { type: 'string' }, vendor: { type: 'string' },
  key: { type: 'string' }, output: { type: 'string', short: 'o' },
  'trusted-keys': { type: 'string' },
  remote: { type: 'boolean' }, all: { type: 'boolean' }, from: { type: 'string' }, 'from-stick': { type: 'boolean' },
} as const;

const usage = 'package keygen|build|verify|inspect|upload|list|delete|fetch [FILE|ID]';

const help = `Firmware packages (.fwpkg: manifest.json, firmware.bin, manifest.sig; protocols/fwpkg/SPEC.md).
keygen, build, verify and inspect work on files and need no fiscald; upload, list and delete ask it.

  package keygen --out PREFIX [--algorithm ed25519|sm2]
      A new signing key: PREFIX.key (private, mode 0600, never overwritten) and PREFIX.pub
      (public: put it in the trusted-keys folder of every gateway that should accept the
      packages). Default ed25519.
  package build --image F --version V --model M [--models M2,M3] [--paths serial,usb-stick,ic-card]
                [--lowest V] [--bootloader-lowest V] [--notes TEXT] [--vendor NAME]
                --key PREFIX.key -o|--output OUT.fwpkg
      Signs a package of image F: version V (x.y.z, each 0-255) for model M (and --models),
      installable over --lowest and later (default 0.0.0) on a bootloader --bootloader-lowest
      and later (default 0.0.0), by the --paths given (default all three). The written file is
      read back and verified before this answers.
  package verify FILE [--trusted-keys DIR]
      Checks signature, digests and size against the public keys (*.pub) in DIR (default
      $FISCALD_TRUSTED_KEYS or <data-dir>/trusted-keys). Exit 0 when it verifies, 3 with the
      refusal's code when it does not.
  package inspect FILE
      Shows the manifest and whether the image matches it, without checking the signature.
  package upload FILE
      Sends the package to fiscald, which keeps it only if it verifies against its own trusted keys
      (fiscald --trusted-keys); exit 3 with the refusal's code otherwise.
  package list [--remote]
      The packages fiscald keeps, newest first. --remote: what the vendor repository's verified
      metadata lists (refreshed first), which are cached, and how old the metadata is.
  package fetch [--model M | --all] [--from DIR|URL | --from-stick]
      fiscald fetches from its repository (fiscald --repository) the newest package for each model
      of the registers it serves (or M, or all), verifies metadata and package signature, and keeps
      it for upgrades. --from-stick reads the repository on a mounted USB stick (the vendor's
      public/ folder copied as FISCAL/REPOSITORY/), --from any folder or URL, with the same checks.
      Offline, it says which verified packages are cached and how old the metadata is.
  package delete ID
      Removes a kept package (ID from package list).`;

const helpZh = `固件升级包（.fwpkg，内含 manifest.json、firmware.bin、manifest.sig；
格式见 protocols/fwpkg/SPEC.md）。keygen、build、verify、inspect 只处理文件，无需 fiscald 运行；
upload、list、delete 由 fiscald 处理。

  package keygen --out 前缀 [--algorithm ed25519|sm2]
      生成签名密钥：前缀.key（私钥，权限 0600，不会覆盖已有文件）和前缀.pub
      （公钥，放入需要接受这些升级包的每台网关的受信任密钥目录）。默认算法 ed25519。
  package build --image 文件 --version 版本 --model 型号 [--models 型号2,型号3]
                [--paths serial,usb-stick,ic-card] [--lowest 版本] [--bootloader-lowest 版本]
                [--notes 说明] [--vendor 厂商] --key 前缀.key -o|--output 输出.fwpkg
      为固件映像签名打包：版本号 x.y.z（每段 0 至 255），适用 --model 及 --models 所列型号；
      收款机固件不低于 --lowest（默认 0.0.0）、引导程序不低于 --bootloader-lowest
      （默认 0.0.0）才可安装；升级方式取 --paths（默认三种全部）。
      写出的文件读回校验通过后才算完成。
  package verify 文件 [--trusted-keys 目录]
      用目录中的公钥（*.pub）校验签名、摘要和长度（默认目录为 $FISCALD_TRUSTED_KEYS
      或 <数据目录>/trusted-keys）。校验通过退出码 0；不通过退出码 3，并给出拒绝原因的错误码。
  package inspect 文件
      显示升级包清单，以及固件映像是否与清单一致；不校验签名。
  package upload 文件
      把升级包交给 fiscald；只有用其受信任密钥（fiscald --trusted-keys）校验通过才保存，
      否则退出码 3 并给出拒绝原因的错误码。
  package list [--remote]
      列出 fiscald 保存的升级包，最新的在前。--remote：先更新仓库元数据，再列出厂商仓库
      所列的升级包、是否已缓存，以及元数据已有多久。
  package fetch [--model 型号 | --all] [--from 目录|地址 | --from-stick]
      fiscald 从其仓库（fiscald --repository）获取所服务收款机各型号（或指定型号、或全部）的
      最新升级包，校验元数据和升级包签名后保存，供升级使用。--from-stick 读取已挂载 U 盘上的
      仓库（厂商的 public/ 目录拷为 FISCAL/REPOSITORY/），--from 读取任一目录或地址，校验相同。
      离线时说明哪些已校验的升级包已缓存，以及元数据已有多久。
  package delete 编号
      删除保存的升级包（编号见 package list）。`;

export const packageCommand: Command = {
  name: 'package',
  summary: 'Firmware packages: keygen, build, verify, inspect (no fiscald); upload, list, delete, fetch',
  summaryZh: '固件升级包：生成签名密钥，制作、校验或查看 .fwpkg（无需守护进程）；上传、列出、删除网关上的升级包',
  usage,
  positionals: [{ name: 'keygen|build|verify|inspect|upload|list|delete|fetch', required: true }, { name: 'FILE|ID', required: false }],
  options: packageOptions,
  help,
  helpZh,
  async run(ctx) {
    const name = ctx.positionals[0]!;
    const sub = subcommands[name];
    if (!sub) throw new GatewayError('CLI_USAGE', { params: { detail: `package ${name}: use one of ${Object.keys(subcommands).join(', ')}` } });
    if (sub.file !== (ctx.positionals.length === 2)) {
      throw new GatewayError('CLI_USAGE', { params: { detail: sub.file ? `package ${name}: name one ${name === 'delete' ? 'package ID' : 'package file'}` : `package ${name} takes no file argument` } });
    }
    const foreign = Object.keys(packageOptions).filter((option) => ctx.options[option] !== undefined && !sub.options.includes(option));
    if (foreign.length > 0) {
      throw new GatewayError('CLI_USAGE', { params: { detail: `${foreign.map((o) => (o === 'output' ? '-o' : `--${o}`)).join(', ')}: not an option of package ${name}` } });
    }
    return sub.run(ctx);
  },
};
