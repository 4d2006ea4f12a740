import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/** The serial upgrade path over GB link 64/75 (protocols/gb-link/SPEC.md §5.8, §5.9). */
export const upgradeSerialErrors = {
  UPGRADE_SERIAL_NOT_OFFERED: {
    http: 422, exit: ExitCode.refused,
    zh: '收款机的能力清单（70）没有列出固件升级命令 64，不能经串口升级', en: 'The register\'s capability list (70) does not list firmware update 64, so it cannot be upgraded over the serial line',
    remedyZh: '该收款机的程序不支持串口升级；改用升级包允许的其他方式（U 盘或 IC 卡）。',
    remedyEn: 'This register\'s firmware has no serial upgrade; use another path the package allows (USB stick or IC card).',
  },
  LINK_FIRMWARE_INFLATE_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机无法解压压缩的固件数据块（ER {code}）', en: 'The register could not inflate a compressed firmware block (ER {code})',
    remedyZh: '重新升级；如仍失败，关闭压缩传输后再试。', remedyEn: 'Upgrade again; if it fails again, upgrade without compression.',
  },
} as const satisfies ErrorTable;
