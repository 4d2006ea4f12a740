import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/** Errors of the device engine (src/jobs/ENGINE.md): leases that wait for a device, jobs that wait and resume. */
export const engineErrors = {
  DEVICE_REATTACH_TIMEOUT: {
    http: 504, exit: ExitCode.unreachable,
    zh: '设备 {id} 在 {seconds} 秒内没有以{expect}方式回来', en: 'The device {id} did not come back ({expect}) within {seconds} s',
    remedyZh: '检查设备电源和线缆；设备重新连接后，等待中的任务会自动核对并继续。',
    remedyEn: 'Check the device\'s power and cable; once it is back, the waiting job is reconciled and carries on by itself.',
  },
  DEVICE_IN_BOOTLOADER: {
    // Not busy (nothing to wait for): the register runs no application until an upgrade finishes.
    http: 409, exit: ExitCode.failed,
    zh: '设备 {id} 处于引导程序模式，只能进行固件升级', en: 'The device {id} is in its bootloader: only a firmware upgrade can use it',
    remedyZh: '完成或重新开始固件升级；升级完成后设备会回到正常模式。',
    remedyEn: 'Finish or start again the firmware upgrade; the device returns to its application afterwards.',
  },
} as const satisfies ErrorTable;
