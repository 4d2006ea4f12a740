import { ExitCode, type ErrorTable } from './ErrorSpec.js';

export const generalErrors = {
  INTERNAL: {
    http: 500, exit: ExitCode.failed,
    zh: '网关内部错误：{detail}', en: 'Internal gateway error: {detail}',
    remedyZh: '请保存日志并报告此问题。', remedyEn: 'Keep the log and report the problem.',
  },
  BAD_REQUEST: {
    http: 400, exit: ExitCode.usage,
    zh: '请求无效：{detail}', en: 'Invalid request: {detail}',
  },
  NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '未找到：{detail}', en: 'Not found: {detail}',
  },
  CANCELLED: {
    http: 409, exit: ExitCode.failed,
    zh: '操作已取消', en: 'The operation was cancelled',
  },
  TIMEOUT: {
    http: 504, exit: ExitCode.unreachable,
    zh: '等待{what}超时', en: 'Timed out waiting for {what}',
  },
  DECODE_ERROR: {
    http: 502, exit: ExitCode.failed,
    zh: '数据格式错误：{detail}', en: 'Malformed data: {detail}',
    remedyZh: '请保存日志并报告此问题。', remedyEn: 'Keep the log and report the problem.',
  },
  SUBSYSTEM_UNAVAILABLE: {
    http: 503, exit: ExitCode.unreachable,
    zh: '{subsystem} 子系统不可用：{detail}', en: 'The {subsystem} subsystem is unavailable: {detail}',
    remedyZh: '请安装所需的系统库后重新运行 npm ci。', remedyEn: 'Install the system library it needs and run npm ci again.',
  },
} as const satisfies ErrorTable;
