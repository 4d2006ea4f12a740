import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/** Errors of service records, follow-ups, reports and certificates (issue 13). */
export const recordErrors = {
  RECORD_NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '未找到服务记录 {recordId}', en: 'No service record {recordId}',
    remedyZh: '用 fiscalctl records 查看服务记录编号。', remedyEn: 'List the service records with fiscalctl records to find its number.',
  },
  FOLLOW_UP_NOT_CALLED_FOR: {
    http: 409, exit: ExitCode.refused,
    zh: '服务记录 {recordId}（{action}）不需要回访', en: 'Service record {recordId} ({action}) calls for no follow-up',
    remedyZh: '只有成功的维修、升级、初始化和注销需要回访；用 fiscalctl records --follow-ups 查看待回访的记录。',
    remedyEn: 'Only a successful repair, upgrade, initialization or deregistration is followed up; fiscalctl records --follow-ups lists them.',
  },
  FOLLOW_UP_ALREADY_DONE: {
    http: 409, exit: ExitCode.refused,
    zh: '服务记录 {recordId} 已于 {doneAt} 回访', en: 'Service record {recordId} was followed up at {doneAt}',
    remedyZh: '无需再次登记回访。', remedyEn: 'There is nothing more to record.',
  },
  CERTIFICATE_NOT_APPLICABLE: {
    http: 409, exit: ExitCode.refused,
    zh: '不能出具该证明：{reason}', en: 'This certificate cannot be issued: {reason}',
    remedyZh: '按原因处理后重新诊断，再出具证明。', remedyEn: 'Deal with the reason, diagnose again, then issue the certificate.',
  },
} as const satisfies ErrorTable;
