import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/**
 * The vendor repository of signed metadata (protocols/fwrepo/SPEC.md). Each refusal of metadata or of a
 * downloaded package is exit 3: checked and refused before anything was kept.
 */
export const repositoryErrors = {
  REPO_METADATA_MALFORMED: {
    http: 422, exit: ExitCode.refused,
    zh: '仓库元数据 {file} 无效：{detail}', en: 'Repository metadata {file} is not valid: {detail}',
    remedyZh: '请厂商检查并重新发布仓库；不要使用来历不明的仓库。', remedyEn: 'Ask the vendor to check and republish the repository; do not use a repository of unknown origin.',
  },
  REPO_ROLLBACK: {
    http: 422, exit: ExitCode.refused,
    zh: '仓库元数据 {file} 的版本 {version} 低于网关已信任的版本 {trusted}：拒绝回滚', en: 'Repository metadata {file} is version {version}, older than version {trusted} the gateway already trusts: rollback refused',
    remedyZh: '仓库或其镜像提供了旧的元数据，可能受到攻击；请联系厂商，不要改用该仓库。',
    remedyEn: 'The repository or its mirror serves old metadata, possibly an attack; contact the vendor and do not switch to it.',
  },
  REPO_METADATA_EXPIRED: {
    http: 422, exit: ExitCode.refused,
    zh: '仓库元数据 {file}（版本 {version}）已于 {expires} 过期：仓库可能被冻结', en: 'Repository metadata {file} (version {version}) expired at {expires}: the repository may be frozen',
    remedyZh: '请厂商重新发布仓库；已校验并缓存的升级包仍可使用。', remedyEn: 'Ask the vendor to republish the repository; packages already verified and cached can still be used.',
  },
  REPO_THRESHOLD_NOT_MET: {
    http: 422, exit: ExitCode.refused,
    zh: '仓库元数据 {file} 只有 {valid} 个有效的 {role} 签名，需要 {threshold} 个', en: 'Repository metadata {file} has {valid} valid {role} signatures; {threshold} are required',
    remedyZh: '元数据签名不足，可能被篡改；请联系厂商。', remedyEn: 'Too few signatures, the metadata may be forged; contact the vendor.',
  },
  REPO_UNKNOWN_KEY: {
    http: 422, exit: ExitCode.refused,
    zh: '{file} 由根元数据未列为 {role} 的密钥 {keyIds} 签名', en: '{file} is signed by {keyIds}, which the root does not list for {role}',
    remedyZh: '不要使用该文件；请联系厂商确认其签名密钥。', remedyEn: 'Do not use this file; ask the vendor which keys sign it.',
  },
  REPO_DIGEST_MISMATCH: {
    http: 422, exit: ExitCode.refused,
    zh: '下载的 {file} 与签名元数据不符（{digest}）', en: 'The downloaded {file} does not match the signed metadata ({digest})',
    remedyZh: '文件被改动或下载出错，已丢弃；稍后重新获取，仍失败请联系厂商。', remedyEn: 'The file was altered or damaged and was discarded; fetch again later and contact the vendor if it persists.',
  },
  REPO_LENGTH_EXCEEDED: {
    http: 422, exit: ExitCode.refused,
    zh: '下载的 {file} 超过签名元数据规定的 {length} 字节，已停止下载', en: 'The download of {file} went past the {length} bytes the signed metadata allows and was stopped',
    remedyZh: '仓库提供了超长数据，可能受到攻击；已丢弃，请联系厂商。', remedyEn: 'The repository sent more data than signed, possibly an attack; it was discarded; contact the vendor.',
  },
  REPO_ROOT_VERSION_SKIPPED: {
    http: 422, exit: ExitCode.refused,
    zh: '根元数据 {file} 的版本是 {actual}，应为 {expected}：根密钥只能逐版轮换', en: 'Root metadata {file} is version {actual}, expected {expected}: the root rotates one version at a time',
    remedyZh: '请厂商发布每一个中间版本的根元数据。', remedyEn: 'Ask the vendor to publish every intermediate root version.',
  },
  REPO_TARGET_MISMATCH: {
    http: 422, exit: ExitCode.refused,
    zh: '升级包 {file} 的签名清单与仓库元数据不符：{detail}', en: 'The signed manifest of {file} does not match the repository metadata: {detail}',
    remedyZh: '仓库混用了不同的文件，已丢弃；请联系厂商。', remedyEn: 'The repository mixes files that do not belong together; it was discarded; contact the vendor.',
  },
  REPO_UNREACHABLE: {
    http: 503, exit: ExitCode.unreachable,
    zh: '无法连接仓库 {repository}：{detail}', en: 'The repository {repository} cannot be reached: {detail}',
    remedyZh: '检查网络、仓库地址和证书；离线时仍可使用已校验并缓存的升级包（见 fiscalctl repo status）。',
    remedyEn: 'Check the network, the repository address and its certificate; offline, packages already verified and cached can still be used (fiscalctl repo status).',
  },
  REPO_NOT_CONFIGURED: {
    http: 409, exit: ExitCode.failed,
    zh: '未配置仓库：{detail}', en: 'No repository is configured: {detail}',
    remedyZh: '用 fiscald --repository 地址 与 --repository-root 根元数据文件 配置仓库，或在配置文件中设置。',
    remedyEn: 'Configure one with fiscald --repository URL and --repository-root ROOT.json, or in the config file.',
  },
  REPO_TARGET_NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '仓库中没有适用于 {what} 的升级包', en: 'The repository has no package for {what}',
    remedyZh: '用 fiscalctl package list --remote 查看仓库提供的升级包。', remedyEn: 'See what the repository offers with fiscalctl package list --remote.',
  },
  REPO_STICK_NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '没有已挂载的 U 盘存有仓库（{folder}）', en: 'No mounted USB stick holds a repository ({folder})',
    remedyZh: '把厂商仓库的 public/ 目录整个拷到 U 盘的该目录下，插入并确认系统已挂载。',
    remedyEn: 'Copy the vendor repository\'s public/ folder as that folder onto a stick, insert it and make sure it is mounted.',
  },
  REPO_VENDOR_INVALID: {
    http: 400, exit: ExitCode.usage,
    zh: '仓库目录 {dir} 不可用：{detail}', en: 'The repository folder {dir} cannot be used: {detail}',
    remedyZh: '先用 fiscalctl repo init 目录 创建仓库。', remedyEn: 'Create it first with fiscalctl repo init DIR.',
  },
} as const satisfies ErrorTable;
