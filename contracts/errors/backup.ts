import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/** Data backup (数据备份), its archive, the backup gate of risky operations, and USB-stick export. */
export const backupErrors = {
  BACKUP_NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '未找到备份 {backupId}', en: 'Backup {backupId} not found',
    remedyZh: '用 fiscalctl backups 列出该设备的备份。', remedyEn: 'List the device\'s backups with fiscalctl backups.',
  },
  BACKUP_VERIFY_FAILED: {
    http: 422, exit: ExitCode.refused,
    zh: '备份 {backupId} 校验失败：{file} {reason}', en: 'Backup {backupId} failed verification: {file} {reason}',
    remedyZh: '该备份不可信，请重新备份；保留原文件供核查。',
    remedyEn: 'Do not trust this backup: make a new one, keep the damaged copy for inspection.',
  },
  BACKUP_ARCHIVE_INVALID: {
    http: 422, exit: ExitCode.refused,
    zh: '备份归档文件无效：{detail}', en: 'The backup archive is not valid: {detail}',
    remedyZh: '从网关重新导出归档（GET /v1/backups/<id>/archive）。',
    remedyEn: 'Export the archive from the gateway again (GET /v1/backups/<id>/archive).',
  },
  BACKUP_WRITE_FAILED: {
    http: 507, exit: ExitCode.failed,
    zh: '无法写入备份：{detail}', en: 'Could not write the backup: {detail}',
    remedyZh: '检查数据目录的磁盘空间和权限后重试。', remedyEn: 'Check free space and permissions of the data directory, then retry.',
  },
  BACKUP_READ_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '从收款机读取{what}失败：{detail}', en: 'Reading {what} from the register failed: {detail}',
    remedyZh: '检查连接线和收款机状态后重新备份。', remedyEn: 'Check the cable and the register, then back up again.',
  },
  BACKUP_DEVICE_MISMATCH: {
    http: 409, exit: ExitCode.refused,
    zh: '备份 {backupId} 属于机器 {backupMachine}，连接的是 {deviceMachine}',
    en: 'Backup {backupId} belongs to machine {backupMachine}, the connected one is {deviceMachine}',
  },
  BACKUP_DIFFERS_FROM_DEVICE: {
    http: 422, exit: ExitCode.refused,
    zh: '备份与收款机现有数据不一致：{detail}', en: 'The backup differs from what the register now holds: {detail}',
    remedyZh: '收款机数据在备份后有变化或备份不完整，请重新备份。',
    remedyEn: 'The register changed since the backup or the backup is incomplete: back up again.',
  },
  BACKUP_GATE_FAILED: {
    http: 424, exit: ExitCode.refused,
    zh: '没有经过校验的备份，{operation} 未执行：{detail}',
    en: 'No verified backup, so {operation} was not started: {detail}',
    remedyZh: '先解决备份问题（fiscalctl backup），再重试该操作。',
    remedyEn: 'Fix the backup first (fiscalctl backup), then retry the operation.',
  },
  RESTORE_REFUSED: {
    http: 422, exit: ExitCode.refused,
    zh: '不能恢复到该收款机：{detail}', en: 'Restore onto this register refused: {detail}',
    remedyZh: '只能把纳税人参数恢复到已用同一纳税人的税控卡和用户卡初始化的替换机上；税目随初始化从用户卡写入；税控存储器数据永不恢复。',
    remedyEn: 'Only the taxpayer parameters go onto a replacement register initialized with the same taxpayer\'s cards; tax items come from the user card at initialization; fiscal memory is never restored.',
  },
  RESTORE_NOT_CONFIRMED: {
    http: 502, exit: ExitCode.failed,
    zh: '恢复后读回收款机 {machine} 的参数与备份不符', en: 'Register {machine} does not read back the restored parameters',
    remedyZh: '用 fiscalctl info 查看收款机当前参数，再重新恢复；仍不符时报告此问题。',
    remedyEn: 'Look at the register\'s parameters (fiscalctl info), restore again; report the problem if it persists.',
  },
  STICK_NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '未找到已挂载的 U 盘', en: 'No mounted USB stick found',
    remedyZh: '插入 U 盘并确认系统已挂载。', remedyEn: 'Insert a USB stick and make sure the system mounted it.',
  },
  STICK_READ_ONLY: {
    http: 409, exit: ExitCode.failed,
    zh: 'U 盘 {mountPoint} 只读', en: 'The USB stick at {mountPoint} is read-only',
    remedyZh: '关闭 U 盘的写保护开关或换一个 U 盘。', remedyEn: 'Turn off the stick\'s write protection or use another stick.',
  },
  STICK_FULL: {
    http: 507, exit: ExitCode.failed,
    zh: 'U 盘 {mountPoint} 空间不足：需要 {needed} 字节，剩余 {free} 字节',
    en: 'The USB stick at {mountPoint} is full: {needed} bytes needed, {free} free',
    remedyZh: '清理 U 盘或换一个更大的。', remedyEn: 'Free space on the stick or use a larger one.',
  },
  STICK_VERIFY_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: 'U 盘上的 {file} 回读校验失败', en: 'Reading {file} back from the USB stick did not match what was written',
    remedyZh: 'U 盘可能损坏：换一个 U 盘重新导出。', remedyEn: 'The stick may be failing: export again onto another stick.',
  },
} as const satisfies ErrorTable;
