import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/**
 * Firmware packages (.fwpkg, protocols/fwpkg/SPEC.md) and the version rules of an upgrade. Every refusal of a
 * package or of an install is exit 3: checked and refused before anything reached a register.
 */
export const upgradeErrors = {
  FWPKG_MALFORMED: {
    http: 422, exit: ExitCode.refused,
    zh: '不是有效的固件升级包：{detail}', en: 'Not a valid firmware package: {detail}',
    remedyZh: '向厂商重新索取升级包；不要使用来历不明的文件。', remedyEn: 'Get the package from the vendor again; do not use a file of unknown origin.',
  },
  FWPKG_UNSIGNED: {
    http: 422, exit: ExitCode.refused,
    zh: '升级包没有签名（缺少 {entry}）', en: 'The package is not signed (no {entry})',
    remedyZh: '只能安装厂商签名的升级包；请向厂商索取签名版本。', remedyEn: 'Only packages signed by the vendor are installed; ask the vendor for a signed package.',
  },
  FWPKG_UNKNOWN_KEY: {
    http: 422, exit: ExitCode.refused,
    zh: '升级包由不受信任的密钥 {keyId} 签名（受信任密钥 {trusted} 个）', en: 'The package is signed by key {keyId}, which is not trusted ({trusted} trusted keys)',
    remedyZh: '确认升级包来自厂商；如该密钥确属厂商，把厂商公钥（.pub）放入受信任密钥目录。',
    remedyEn: 'Make sure the package comes from the vendor; if the key is the vendor\'s, put its public key (.pub) in the trusted-keys folder.',
  },
  FWPKG_MANIFEST_TAMPERED: {
    http: 422, exit: ExitCode.refused,
    zh: '升级包清单与签名不符（密钥 {keyId}）：清单被改动过', en: 'The package manifest does not match its signature (key {keyId}): the manifest was altered',
    remedyZh: '不要安装该升级包；向厂商重新索取，并保留此文件供核查。', remedyEn: 'Do not install this package; get it from the vendor again and keep this file for inspection.',
  },
  FWPKG_IMAGE_TAMPERED: {
    http: 422, exit: ExitCode.refused,
    zh: '固件映像的 {digest} 摘要与签名清单不符：映像被改动过', en: 'The firmware image\'s {digest} digest does not match the signed manifest: the image was altered',
    remedyZh: '不要安装该升级包；向厂商重新索取，并保留此文件供核查。', remedyEn: 'Do not install this package; get it from the vendor again and keep this file for inspection.',
  },
  FWPKG_SIZE_MISMATCH: {
    http: 422, exit: ExitCode.refused,
    zh: '固件映像长度 {actual} 字节，签名清单写的是 {expected} 字节', en: 'The firmware image is {actual} bytes, the signed manifest says {expected}',
    remedyZh: '升级包不完整或被改动；向厂商重新索取。', remedyEn: 'The package is incomplete or altered; get it from the vendor again.',
  },
  FWPKG_TOO_LARGE: {
    http: 413, exit: ExitCode.usage,
    zh: '升级包超过 {limit} 字节上限', en: 'The package exceeds the {limit}-byte limit',
    remedyZh: '确认文件是固件升级包；确需更大的包时调整网关的上限配置。', remedyEn: 'Make sure the file is a firmware package; raise the gateway\'s limit if a larger one is really needed.',
  },
  FWPKG_VERSION_INVALID: {
    http: 400, exit: ExitCode.usage,
    zh: '{what} 的版本号“{text}”无效：应为 x.y.z，每段 0 至 255', en: '{what}: "{text}" is not a version x.y.z (each part 0…255)',
  },
  FWPKG_KEY_INVALID: {
    http: 400, exit: ExitCode.usage,
    zh: '无法读取密钥 {file}：{detail}', en: 'Cannot read the key {file}: {detail}',
    remedyZh: '密钥须为 fiscalctl package keygen 生成的文件（未加密的 PEM 格式）。',
    remedyEn: 'Use a key made by fiscalctl package keygen (unencrypted PEM, see protocols/fwpkg/SPEC.md).',
  },
  FWPKG_KEY_EXISTS: {
    http: 409, exit: ExitCode.usage,
    zh: '密钥文件 {file} 已存在，未覆盖', en: 'The key file {file} already exists; it was not overwritten',
    remedyZh: '换一个 --out 前缀，或先确认旧密钥不再使用后自行删除。', remedyEn: 'Choose another --out prefix, or remove the old key yourself once you are sure it is no longer used.',
  },
  FWPKG_NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '网关上没有升级包 {packageId}', en: 'No package {packageId} on the gateway',
    remedyZh: '用 GET /v1/packages 列出已上传的升级包。', remedyEn: 'List the uploaded packages with GET /v1/packages.',
  },
  FWPKG_STORE_FAILED: {
    http: 507, exit: ExitCode.failed,
    zh: '无法保存升级包：{detail}', en: 'Could not store the package: {detail}',
    remedyZh: '检查数据目录的磁盘空间和权限后重新上传。', remedyEn: 'Check free space and permissions of the data directory, then upload again.',
  },
  UPGRADE_MODEL_NOT_LISTED: {
    http: 422, exit: ExitCode.refused,
    zh: '升级包不适用于型号 {model}（适用型号：{models}）', en: 'The package is not for model {model} (it lists: {models})',
    remedyZh: '选用该型号的升级包。', remedyEn: 'Use the package made for this model.',
  },
  UPGRADE_PATH_NOT_ALLOWED: {
    http: 422, exit: ExitCode.refused,
    zh: '升级包不允许经 {path} 升级（允许：{paths}）', en: 'The package may not be installed by {path} (allowed: {paths})',
    remedyZh: '改用升级包允许的升级方式。', remedyEn: 'Use one of the ways the package allows.',
  },
  UPGRADE_BOOTLOADER_TOO_OLD: {
    http: 422, exit: ExitCode.refused,
    zh: '收款机引导程序版本 {bootloader} 低于升级包要求的 {lowest}', en: 'The register\'s bootloader {bootloader} is older than the {lowest} the package needs',
    remedyZh: '先由厂商更新引导程序，或选用支持该引导程序的升级包。', remedyEn: 'Have the vendor update the bootloader first, or use a package that supports it.',
  },
  UPGRADE_BELOW_LOWEST: {
    http: 422, exit: ExitCode.refused,
    zh: '收款机固件 {running} 低于可直接升级到 {target} 的最低版本 {lowest}', en: 'The register runs {running}, below {lowest}, the oldest version that can go straight to {target}',
    remedyZh: '先升级到 {lowest} 或更高的中间版本，再安装该升级包。', remedyEn: 'Upgrade to an intermediate version {lowest} or later first, then install this package.',
  },
  UPGRADE_SAME_VERSION: {
    http: 422, exit: ExitCode.refused,
    zh: '收款机已运行版本 {version}', en: 'The register already runs version {version}',
    remedyZh: '确需重新安装同一版本时加 --reinstall。', remedyEn: 'Add --reinstall to install the same version again.',
  },
  UPGRADE_OLDER_VERSION: {
    http: 422, exit: ExitCode.refused,
    zh: '升级包版本 {target} 比收款机当前版本 {running} 旧', en: 'The package\'s version {target} is older than the {running} the register runs',
    remedyZh: '确需降级时加 --allow-downgrade（降级会被记录）。', remedyEn: 'Add --allow-downgrade to go back to an older version (the downgrade is recorded).',
  },
  UPGRADE_PATH_UNAVAILABLE: {
    http: 422, exit: ExitCode.refused,
    zh: '本网关版本只能经串口升级，{path} 方式尚不可用', en: 'This gateway version upgrades by the serial path only; {path} is not available yet',
    remedyZh: '改用串口升级（--path serial）。', remedyEn: 'Use the serial path (--path serial).',
  },
  UPGRADE_IMAGE_DIGEST_MISMATCH: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机算出的固件摘要与升级包不符（{where}），未启用新固件', en: 'The register\'s digest of the image differs from the package\'s ({where}); the new image was not activated',
    remedyZh: '旧版本仍在运行；重新升级，若再次出现请联系厂商。', remedyEn: 'The old version still runs; upgrade again, and call the vendor if it happens again.',
  },
  UPGRADE_REVERTED: {
    http: 502, exit: ExitCode.failed,
    zh: '新固件 {target} 未被确认，收款机已自动退回版本 {running}（原因见详情）', en: 'The new image {target} was not confirmed; the register went back to {running} by itself (the reason is in the details)',
    remedyZh: '收款机仍可使用旧版本；查明原因后再升级，或联系厂商。', remedyEn: 'The register works on its old version; find the cause before upgrading again, or call the vendor.',
  },
  UPGRADE_VERSION_UNCHANGED: {
    http: 502, exit: ExitCode.failed,
    zh: '升级后收款机仍运行版本 {running}，而不是 {target}', en: 'After the upgrade the register still runs {running}, not {target}',
    remedyZh: '升级未生效；检查收款机后重新升级。', remedyEn: 'The upgrade did not take effect; check the register and upgrade again.',
  },
  UPGRADE_STICK_NOT_INSTALLED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机 {machine} 在 {seconds} 秒内没有装上 U 盘中的 {target}，仍运行版本 {running}',
    en: 'Register {machine} did not install {target} from the USB stick within {seconds} s; it still runs {running}',
    remedyZh: '旧版本仍可使用。看收款机屏幕上的提示（升级包的签名、型号或文件损坏被收款机拒绝，或没有在收款机上确认升级），排除后重新升级。',
    remedyEn: 'The old version still works. Read the register\'s screen (the package refused for its signature, its model or a damaged file, or the upgrade not confirmed on the register), then upgrade again.',
  },
  UPGRADE_STICK_REFUSED: {
    http: 422, exit: ExitCode.refused,
    zh: '收款机 {machine} 拒绝安装 U 盘中的升级包：{reason}，仍运行版本 {running}', en: 'Register {machine} refused the package on the USB stick: {reason}; it still runs {running}',
    remedyZh: '旧版本仍可使用。按原因处理（换用厂商签名且适用于该型号的升级包，或重新复制到 U 盘）后重新升级。',
    remedyEn: 'The old version still works. Deal with the reason (a package signed by the vendor for this model, or a fresh copy on the stick), then upgrade again.',
  },
  UPGRADE_STICK_PACKAGE_UNAVAILABLE: {
    http: 500, exit: ExitCode.failed,
    zh: '网关无法取得升级包 {packageId} 的原文件，不能复制到 U 盘', en: 'The gateway cannot get the file of package {packageId}, so it cannot copy it onto the USB stick',
    remedyZh: '重新上传该升级包后再升级。', remedyEn: 'Upload the package again, then upgrade.',
  },
} as const satisfies ErrorTable;
