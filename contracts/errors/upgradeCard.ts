import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/**
 * The IC-card path of a firmware upgrade (gb18240-card SPEC.md §8): the gateway writes the signed package onto
 * upgrade cards through a PC/SC reader, reads each back, and the register reads them from its slot. A card that is
 * not a blank upgrade card, too small or already written is never written: the job waits for the right one.
 * Refusals before anything is written are exit 3.
 */
export const upgradeCardErrors = {
  UPGRADE_CARD_READER_NONE: {
    http: 503, exit: ExitCode.unreachable,
    zh: '没有可用于写升级卡的读卡器：{detail}', en: 'No card reader to write the upgrade cards in: {detail}',
    remedyZh: '接上读卡器并确认 pcscd 在运行；有多个读卡器时，把空白升级卡插进要用的那个读卡器。',
    remedyEn: 'Connect a card reader and make sure pcscd runs; with several readers, put a blank upgrade card into the one to use.',
  },
  UPGRADE_CARD_TOO_MANY_CARDS: {
    http: 422, exit: ExitCode.refused,
    zh: '升级包有 {bytes} 字节，需要 {cards} 张升级卡（每张 {capacity} 字节），超过上限 {max} 张',
    en: 'The package of {bytes} bytes needs {cards} upgrade cards of {capacity} bytes, more than the limit of {max}',
    remedyZh: '改用串口或 U 盘升级，或使用容量更大的升级卡。', remedyEn: 'Upgrade by the serial line or a USB stick, or use upgrade cards of a larger capacity.',
  },
  UPGRADE_CARD_PACKAGE_UNAVAILABLE: {
    http: 500, exit: ExitCode.failed,
    zh: '网关无法取得升级包 {packageId} 的原文件，不能写入升级卡', en: 'The gateway cannot get the file of package {packageId}, so it cannot write it onto upgrade cards',
    remedyZh: '重新上传该升级包后再升级。', remedyEn: 'Upload the package again, then upgrade.',
  },
  UPGRADE_CARD_NOT_BLANK_CARD: {
    http: 409, exit: ExitCode.refused,
    zh: '读卡器 {reader} 中的卡不是升级卡（{detail}），未写入', en: 'The card in reader {reader} is not an upgrade card ({detail}); nothing was written',
    remedyZh: '取出这张卡，插入一张空白升级卡。税控卡和用户卡绝不会被写入。', remedyEn: 'Take this card out and insert a blank upgrade card. Fiscal and user cards are never written.',
  },
  UPGRADE_CARD_TOO_SMALL: {
    http: 409, exit: ExitCode.refused,
    zh: '读卡器 {reader} 中的升级卡只有 {capacity} 字节，本套卡每张需要 {needed} 字节', en: 'The upgrade card in reader {reader} holds {capacity} bytes; each card of this set needs {needed}',
    remedyZh: '取出这张卡，插入一张与第一张同型号的空白升级卡。', remedyEn: 'Take this card out and insert a blank upgrade card of the same type as the first one.',
  },
  UPGRADE_CARD_ALREADY_WRITTEN: {
    http: 409, exit: ExitCode.refused,
    zh: '这是已写好并核对过的第 {part}/{parts} 张升级卡，未再写入', en: 'This is upgrade card {part} of {parts}, already written and checked; it was not written again',
    remedyZh: '取出这张卡，与其他已写好的卡放在一起，插入一张空白升级卡。', remedyEn: 'Take it out, keep it with the other written cards and insert a blank upgrade card.',
  },
  UPGRADE_CARD_WRITE_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '第 {part}/{parts} 张升级卡连续 {attempts} 次写入或核对失败（{detail}）', en: 'Upgrade card {part} of {parts} failed to write or to read back right {attempts} times ({detail})',
    remedyZh: '收款机未被改动，旧版本仍可使用。换用新的空白升级卡或另一个读卡器后重新升级。', remedyEn: 'The register was not changed and its old version still works. Use new blank upgrade cards or another reader, then upgrade again.',
  },
  UPGRADE_CARD_REFUSED: {
    http: 422, exit: ExitCode.refused,
    zh: '收款机 {machine} 拒绝安装升级卡中的升级包：{reason}，仍运行版本 {running}', en: 'Register {machine} refused the package on the upgrade cards: {reason}; it still runs {running}',
    remedyZh: '旧版本仍可使用。按原因处理（换用厂商签名、适用于该型号并允许 IC 卡升级的升级包，或重新写卡）后重新升级。',
    remedyEn: 'The old version still works. Deal with the reason (a package signed by the vendor, for this model, allowing IC-card upgrade, or cards written again), then upgrade again.',
  },
  UPGRADE_CARD_NOT_INSTALLED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机 {machine} 在 {seconds} 秒内没有从升级卡装上 {target}，仍运行版本 {running}',
    en: 'Register {machine} did not install {target} from the upgrade cards within {seconds} s; it still runs {running}',
    remedyZh: '旧版本仍可使用。看收款机屏幕上的提示（缺卡、卡的顺序、签名或型号被收款机拒绝），排除后重新升级；写好的升级卡可再次使用。',
    remedyEn: 'The old version still works. Read the register\'s screen (a card missing, the order of the cards, the signature or model refused by the register), then upgrade again; the written cards can be used again.',
  },
} as const satisfies ErrorTable;
