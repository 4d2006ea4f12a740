import { GatewayError, type ExitCode } from '../../../contracts/errors/index.js';
import type { CliContext } from '../CliContext.js';
import type { Command } from '../Command.js';
import { repoStatus } from './repoStatusView.js';
import { repoAdd, repoInit, repoPublish, repoRotateRoot } from './repoVendor.js';

interface Subcommand {
  readonly run: (ctx: CliContext) => Promise<ExitCode>;
  /** Positionals after the sub-command's name. */
  readonly arguments: readonly string[];
  readonly options: readonly string[];
}

/** Vendor tools on a folder (no fiscald), and the gateway's view of its repository (asks fiscald). */
const subcommands: Record<string, Subcommand> = {
  init: { run: repoInit, arguments: ['DIR'], options: ['keys', 'threshold', 'algorithm', 'package-keys'] },
  add: { run: repoAdd, arguments: ['DIR', 'PACKAGE.fwpkg'], options: [] },
  publish: { run: repoPublish, arguments: ['DIR'], options: ['expires'] },
  'rotate-root': { run: repoRotateRoot, arguments: ['DIR'], options: ['keys', 'threshold', 'algorithm', 'roles'] },
  status: { run: repoStatus, arguments: [], options: [] },
};

const repoOptions = {
  keys: { type: 'string' }, threshold: { type: 'string' }, algorithm: { type: 'string' }, 'package-keys': { type: 'string' }, expires: { type: 'string' }, roles: { type: 'string' },
} as const;

const help = `A vendor repository of firmware packages with signed metadata (protocols/fwrepo/SPEC.md).
init, add, publish and rotate-root work on a folder and need no fiscald; status asks fiscald.
DIR/keys/ holds the private keys (never publish it); DIR/public/ is what is served as static files
(HTTPS) or copied onto a USB stick.

  repo init DIR [--keys N] [--threshold T] [--algorithm ed25519|sm2] [--package-keys A.pub,B.pub]
      A new repository: N root keys and N targets keys, T of them needed to sign (default 1 of 1),
      a snapshot and a timestamp key, and a package-signing key (keys/package-*.key, for
      fiscalctl package build) unless --package-keys names the vendor's own. Root version 1 is
      public/1.root.json: give it to every gateway (fiscald --repository-root).
  repo add DIR PACKAGE.fwpkg
      Lists a package signed by a key of the root's packages role (new targets version).
  repo publish DIR [--expires DURATION]
      New snapshot and timestamp (valid for DURATION: 12h, 7d…; default 1d and 7d), so gateways
      see the current targets. Publish again before the timestamp expires.
  repo rotate-root DIR [--keys N] [--threshold T] [--algorithm ed25519|sm2] [--roles timestamp,snapshot,targets]
      Root version N+1 with fresh root keys (and fresh keys for the --roles named, e.g. after a
      key leaked), signed by the old and the new root keys; gateways follow it version by version.
  repo status
      What fiscald trusts: the repository, each metadata version and its expiry, when it last
      verified and how long ago, the packages listed and which are cached.`;

const helpZh = `厂商的升级包仓库，元数据带签名（格式见 protocols/fwrepo/SPEC.md）。
init、add、publish、rotate-root 处理本地目录，无需 fiscald 运行；status 由 fiscald 处理。
目录/keys/ 存放私钥（切勿发布）；目录/public/ 是对外发布的静态文件（经 HTTPS 提供，或拷到 U 盘）。

  repo init 目录 [--keys 数量] [--threshold 门限] [--algorithm ed25519|sm2] [--package-keys 公钥1.pub,公钥2.pub]
      创建仓库：根密钥和目标密钥各若干个，签名需其中门限个（默认 1 个中 1 个），
      快照密钥、时间戳密钥各一个；未给 --package-keys 时另生成升级包签名密钥
      （keys/ 下，供 fiscalctl package build 使用）。根元数据第 1 版为 public/1.root.json，
      交给每台网关（fiscald --repository-root）。
  repo add 目录 升级包.fwpkg
      列入一个由根元数据所列升级包密钥签名的升级包（目标元数据新版本）。
  repo publish 目录 [--expires 时长]
      生成新的快照和时间戳（有效期为该时长，如 12h、7d；默认 1 天和 7 天），网关才能看到当前目标。
      须在时间戳过期前再次发布。
  repo rotate-root 目录 [--keys 数量] [--threshold 门限] [--algorithm ed25519|sm2] [--roles 角色,角色]
      用新根密钥（以及 --roles 所列角色的新密钥，如密钥泄露时）生成下一版根元数据，
      由旧、新根密钥共同签名；网关逐版跟随。角色可为 timestamp、snapshot、targets。
  repo status
      网关信任的内容：仓库地址、各元数据的版本和有效期、上次校验时间及距今多久、
      所列升级包及是否已缓存。`;

export const repoCommand: Command = {
  name: 'repo',
  summary: 'Vendor repository with signed metadata: init, add, publish, rotate-root (no fiscald); status',
  summaryZh: '带签名元数据的升级包仓库：创建、加入升级包、发布、轮换根密钥（无需守护进程）；查看网关的仓库状态',
  usage: 'repo init|add|publish|rotate-root|status [DIR] [PACKAGE.fwpkg]',
  positionals: [{ name: 'init|add|publish|rotate-root|status', required: true }, { name: 'DIR', required: false }, { name: 'PACKAGE.fwpkg', required: false }],
  options: repoOptions,
  help,
  helpZh,
  async run(ctx) {
    const name = ctx.positionals[0]!;
    const sub = subcommands[name];
    if (!sub) throw new GatewayError('CLI_USAGE', { params: { detail: `repo ${name}: use one of ${Object.keys(subcommands).join(', ')}` } });
    if (ctx.positionals.length - 1 !== sub.arguments.length) {
      throw new GatewayError('CLI_USAGE', { params: { detail: `expected fiscalctl repo ${[name, ...sub.arguments].join(' ')}` } });
    }
    const foreign = Object.keys(repoOptions).filter((option) => ctx.options[option] !== undefined && !sub.options.includes(option));
    if (foreign.length > 0) throw new GatewayError('CLI_USAGE', { params: { detail: `${foreign.map((o) => `--${o}`).join(', ')}: not an option of repo ${name}` } });
    return sub.run(ctx);
  },
};
