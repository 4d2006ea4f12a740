import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/** Transports (serial, USB bulk, HID), discovery and the device registry. */
export const transportErrors = {
  TRANSPORT_OPEN_FAILED: {
    http: 503, exit: ExitCode.unreachable,
    zh: '无法打开端口 {path}：{detail}', en: 'Cannot open {path}: {detail}',
    remedyZh: '检查线缆和电源；确认运行网关的用户属于 fiscal 组，且没有其他程序占用该端口。',
    remedyEn: 'Check the cable and power; make sure the gateway user is in the fiscal group and no other program holds the port.',
  },
  TRANSPORT_CLOSED: {
    http: 503, exit: ExitCode.unreachable,
    zh: '端口 {path} 已关闭', en: 'The port {path} is closed',
  },
  TRANSPORT_UNPLUGGED: {
    http: 503, exit: ExitCode.unreachable,
    zh: '设备 {path} 已断开', en: 'The device on {path} was disconnected',
    remedyZh: '重新连接线缆；网关会在设备回来后自动重连。',
    remedyEn: 'Reconnect the cable; the gateway reconnects on its own when the device returns.',
  },
  TRANSPORT_IO_FAILED: {
    http: 502, exit: ExitCode.unreachable,
    zh: '端口 {path} 读写失败：{detail}', en: 'Reading or writing {path} failed: {detail}',
    remedyZh: '检查线缆；若反复出现，请更换 USB 口或线缆。',
    remedyEn: 'Check the cable; if it keeps happening, try another USB port or cable.',
  },
  BAUD_RATE_UNSUPPORTED: {
    http: 400, exit: ExitCode.usage,
    zh: '不支持的波特率 {baudRate}（支持 {supported}）', en: 'Unsupported baud rate {baudRate} (supported: {supported})',
  },
  PORT_NOT_ALLOWED: {
    http: 403, exit: ExitCode.refused,
    zh: '端口 {path} 不在允许列表中，网关不会打开它', en: 'The port {path} is not on the allow-list; the gateway will not open it',
    remedyZh: '在配置的 devices.allow 中加入该设备的 VID:PID 或路径。',
    remedyEn: 'Add the device\'s VID:PID or path to devices.allow in the configuration.',
  },
  SERIAL_UNAVAILABLE: {
    http: 503, exit: ExitCode.unreachable,
    zh: '串口子系统不可用：{detail}', en: 'The serial subsystem is unavailable: {detail}',
    remedyZh: '重新安装网关（npm ci）以编译串口原生模块。', remedyEn: 'Reinstall the gateway (npm ci) so the native serial module is built.',
  },
  USB_UNAVAILABLE: {
    http: 503, exit: ExitCode.unreachable,
    zh: 'USB 子系统不可用：{detail}', en: 'The USB subsystem is unavailable: {detail}',
    remedyZh: '重新安装网关（npm ci）以安装 USB 原生模块。', remedyEn: 'Reinstall the gateway (npm ci) so the native USB module is installed.',
  },
  HID_UNAVAILABLE: {
    http: 503, exit: ExitCode.unreachable,
    zh: 'HID 子系统不可用：{detail}', en: 'The HID subsystem is unavailable: {detail}',
    remedyZh: '重新安装网关（npm ci）以安装 HID 原生模块。', remedyEn: 'Reinstall the gateway (npm ci) so the native HID module is installed.',
  },
  USB_ENDPOINTS_NOT_FOUND: {
    http: 502, exit: ExitCode.unreachable,
    zh: 'USB 设备 {path} 没有批量输入/输出端点', en: 'The USB device {path} has no bulk IN/OUT endpoint pair',
    remedyZh: '该设备型号可能不受支持；请核对 udev/SUPPORTED_DEVICES.md。',
    remedyEn: 'This model may not be supported; check udev/SUPPORTED_DEVICES.md.',
  },
  HID_REPORT_INVALID: {
    http: 502, exit: ExitCode.failed,
    zh: 'HID 报告无效：{detail}', en: 'Invalid HID report: {detail}',
  },
  DEVICE_CONFIG_INVALID: {
    http: 400, exit: ExitCode.usage,
    zh: '设备配置无效：{detail}', en: 'Invalid device configuration: {detail}',
  },
  DEVICE_NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '没有编号为 {id} 的设备', en: 'No device with id {id}',
    remedyZh: '用 fiscalctl devices 查看已连接的设备。', remedyEn: 'Run fiscalctl devices to see the connected devices.',
  },
  DEVICE_OFFLINE: {
    http: 503, exit: ExitCode.unreachable,
    zh: '设备 {id} 离线', en: 'The device {id} is offline',
    remedyZh: '检查设备电源和线缆；设备恢复后网关会自动重连。',
    remedyEn: 'Check the device\'s power and cable; the gateway reconnects when it returns.',
  },
  DEVICE_IDENTIFY_FAILED: {
    http: 502, exit: ExitCode.unreachable,
    zh: '无法识别 {path} 上的收款机：{detail}', en: 'Cannot identify the register on {path}: {detail}',
    remedyZh: '确认该端口连接的是受支持的税控收款机，波特率设置正确。',
    remedyEn: 'Make sure a supported fiscal register is on that port and the baud rate is right.',
  },
  REGISTRY_CLOSED: {
    http: 503, exit: ExitCode.unreachable,
    zh: '设备管理已关闭', en: 'The device registry is closed',
  },
} as const satisfies ErrorTable;
