import { errorCatalog, errorSpec, type ErrorCode } from '../../../contracts/errors/index.js';
import { hexByte, knownErrorCodes } from '../../../protocols/gb-link/errorCodes.js';
import { statusWordHex } from '../../../protocols/apdu/ResponseApdu.js';
import { statusErrorCode, statusTables, type CardOperation } from '../../../protocols/gb18240-card/statusTable.js';
import type { Actor, Bilingual } from './Check.js';

/**
 * One table of explanations: every GB-link ER code, every card status word and every gateway error code says
 * what it means and what to do, in plain zh-CN and en, and who can act. ER codes and status words explain
 * through the gateway code they map to (protocols/gb-link/errorCodes.ts, protocols/gb18240-card/statusTable.ts),
 * so each has exactly one explanation; the catalogue's remedy is used, the few codes without one get theirs here.
 */
export interface Explanation {
  readonly code: ErrorCode;
  /** The catalogue's message with its placeholders left as "…". */
  readonly meaning: Bilingual;
  readonly remedy: Bilingual;
  readonly actor: Actor;
}

/** Remedies for the catalogue codes that carry none (mostly API request errors a client makes). */
const supplementaryRemedies: Partial<Record<ErrorCode, Bilingual>> = {
  BAD_REQUEST: { zh: '按提示改正请求后重试。', en: 'Correct the request as the message says and try again.' },
  NOT_FOUND: { zh: '核对名称或编号后重试。', en: 'Check the name or id and try again.' },
  CANCELLED: { zh: '操作已按要求取消；需要时重新发起。', en: 'The operation was cancelled as asked; start it again if needed.' },
  TIMEOUT: { zh: '检查设备是否通电、线缆是否插好，然后重试。', en: 'Check that the device is powered and its cable plugged in, then try again.' },
  CARD_RECORD_NOT_FOUND: { zh: '卡上还没有这条记录，属正常情况；如应有记录，请税务机关检测卡片。', en: 'The card holds no such record yet, which is normal; if it should, have the tax office test the card.' },
  CARD_PERSONALIZATION_INVALID: { zh: '按提示改正虚拟卡的个人化数据。', en: "Correct the virtual card's personalization data as the message says." },
  CARD_DISCONNECTED: { zh: '重新插卡后重试。', en: 'Insert the card again and retry.' },
  TRANSPORT_CLOSED: { zh: '检查线缆和设备电源，网关会自动重新连接。', en: 'Check the cable and power; the gateway reconnects by itself.' },
  BAUD_RATE_UNSUPPORTED: { zh: '改用所列支持的波特率之一。', en: 'Use one of the baud rates listed as supported.' },
  HID_REPORT_INVALID: { zh: '重新插拔设备；仍出现请更换线缆或设备。', en: 'Unplug and replug the device; if it recurs, replace the cable or the device.' },
  DEVICE_CONFIG_INVALID: { zh: '按提示改正设备配置后重启网关。', en: 'Correct the device configuration as the message says and restart the gateway.' },
  REGISTRY_CLOSED: { zh: '网关正在关闭，请稍后在网关重启后重试。', en: 'The gateway is shutting down; retry once it has restarted.' },
  VALIDATION_FAILED: { zh: '按提示改正请求参数后重试。', en: 'Correct the request parameters as the message says and try again.' },
  MALFORMED_JSON: { zh: '发送有效的 JSON 请求体。', en: 'Send a valid JSON body.' },
  PAYLOAD_TOO_LARGE: { zh: '缩小请求体到上限以内。', en: 'Send a body within the limit.' },
  ROUTE_NOT_FOUND: { zh: '查阅接口文档（/v1/openapi.json）使用正确的地址。', en: 'Use a path listed in the API document (/v1/openapi.json).' },
  METHOD_NOT_ALLOWED: { zh: '改用接口支持的请求方法。', en: 'Use a method the path supports.' },
  JOB_NOT_FOUND: { zh: '核对任务编号；任务列表见 fiscalctl jobs。', en: 'Check the job id; fiscalctl jobs lists them.' },
  JOB_ALREADY_FINISHED: { zh: '任务已结束，无需再操作；查看其结果即可。', en: 'The job has ended; read its result instead.' },
  DIAGNOSTICS_NOT_FOUND: { zh: '核对诊断报告编号，或重新诊断（fiscalctl diagnose）。', en: 'Check the report id, or diagnose again (fiscalctl diagnose).' },
  SHUTTING_DOWN: { zh: '等网关重启后重试。', en: 'Retry once the gateway has restarted.' },
  CONFIG_INVALID: { zh: '按提示改正配置后重启网关。', en: 'Correct the configuration as the message says and restart the gateway.' },
  DEREG_REGISTER_NOT_INITIALIZED: { zh: '未初始化的收款机无需注销；如需证明，出具未初始化证明。', en: 'A register that was never initialized needs no deregistration; issue a not-initialized certificate if proof is needed.' },
  BACKUP_DEVICE_MISMATCH: { zh: '连接备份所属的那台收款机，或选用这台收款机的备份。', en: 'Connect the register the backup belongs to, or pick a backup of this register.' },
  FWPKG_VERSION_INVALID: { zh: '版本号写成 x.y.z，每段 0 至 255。', en: 'Write the version as x.y.z, each part 0 to 255.' },
};

/** Who can act on a code, first rule that matches; a technician otherwise. */
const actorRules: readonly [RegExp, Actor][] = [
  [/^(LINK_FISCAL_MEMORY_FAULT|LINK_INVOICE_MEMORY_FAULT|CARD_MEMORY_FAULT|LINK_POWER_FAILURE)$/, 'factory'],
  [/_LOCKED$|^CARD_AUTH_LOCKED$|_EXPIRED$|^CARD_(NOT|ALREADY)_REGISTERED$|^LINK_FISCAL_CARD_(FOREIGN|ALREADY_REGISTERED)$|^CARD_KEY_VERSION$|MAC_(ERROR|MISMATCH)$|_STORE_FULL$|^LINK_ISSUE_DEADLINE_PASSED$|^LINK_ILLEGAL_TAX_ITEM$|^LINK_NO_TAX_ITEMS$|^LINK_USER_CARD_LACKS_FISCAL_CARD$|^CARD_USER_LACKS_FISCAL_CARD$|^LINK_DECLARATION_DATE_|^CARD_APP_LOCKED$/, 'tax-office'],
  [/_CARD_(ABSENT|POWER_FAILED|READ_FAILED|ILLEGAL)$|^CARD_(ABSENT|WRONG_TYPE|DISCONNECTED|LIMIT_EXCEEDED|NO_ROLL_TO_DISTRIBUTE)$|_LIMIT_EXCEEDED$|^LINK_(INVOICES_USED_UP|NO_INVOICE_NUMBERS|NOTHING_TO_DISTRIBUTE|USB_STICK_MISSING|DECLARATION_UNFINISHED)$|^DEVICE_BUSY$|^READER_|^TRANSPORT_|^LINK_TIMEOUT$|^DEVICE_(NOT_FOUND|OFFLINE)$/, 'operator'],
];

export function actorFor(code: ErrorCode): Actor {
  return actorRules.find(([pattern]) => pattern.test(code))?.[1] ?? 'technician';
}

const withoutPlaceholders = (text: string) => text.replace(/\{[a-zA-Z]+\}/g, '…');

export function explainError(code: ErrorCode): Explanation {
  const spec = errorSpec(code);
  const remedy = spec.remedyZh !== undefined && spec.remedyEn !== undefined
    ? { zh: withoutPlaceholders(spec.remedyZh), en: withoutPlaceholders(spec.remedyEn) }
    : supplementaryRemedies[code];
  if (remedy === undefined) throw new RangeError(`no remedy for ${code}`);
  return { code, meaning: { zh: withoutPlaceholders(spec.zh), en: withoutPlaceholders(spec.en) }, remedy, actor: actorFor(code) };
}

/** A GB-link ER code; one without a name of its own is LINK_DEVICE_ERROR. */
export function explainEr(er: number): Explanation & { readonly er: string } {
  return { er: hexByte(er), ...explainError(knownErrorCodes.get(er) ?? 'LINK_DEVICE_ERROR') };
}

const operations = Object.keys(statusTables) as CardOperation[];
/** An operation with no table of its own: what a status word means whatever the command. */
const GENERIC_OPERATION: CardOperation = 'READ_BINARY';

/**
 * A card status word: its meaning whatever the command, and where a command gives it another meaning,
 * that too (6901 is "state not allowed", but "not registered" for a fiscal command and "already registered" for GET_REGISTER_NB).
 */
export function explainStatusWord(sw: number): Explanation & { readonly sw: string; readonly byOperation: Readonly<Partial<Record<CardOperation, ErrorCode>>> } {
  const generic = statusErrorCode(GENERIC_OPERATION, sw);
  const byOperation: Partial<Record<CardOperation, ErrorCode>> = {};
  for (const operation of operations) {
    const code = statusErrorCode(operation, sw);
    if (code !== generic) byOperation[operation] = code;
  }
  return { sw: statusWordHex(sw), byOperation, ...explainError(generic) };
}

/** Every status word the code gives a meaning of its own (not CARD_UNKNOWN_STATUS for every command). */
export function knownStatusWords(): number[] {
  const known: number[] = [];
  for (let sw = 0; sw <= 0xffff; sw += 1) {
    if (operations.some((operation) => statusErrorCode(operation, sw) !== 'CARD_UNKNOWN_STATUS')) known.push(sw);
  }
  return known;
}

export interface ExplanationTable {
  readonly er: readonly (Explanation & { readonly er: string })[];
  readonly statusWords: readonly ReturnType<typeof explainStatusWord>[];
  readonly errors: readonly Explanation[];
}

/** The whole table (status words of the ISO warning classes 62xx/63xx and 63Cx listed one by one). */
export function explanationTable(): ExplanationTable {
  return {
    er: [...knownErrorCodes.keys()].sort((a, b) => a - b).map(explainEr),
    statusWords: knownStatusWords().map(explainStatusWord),
    errors: (Object.keys(errorCatalog) as ErrorCode[]).map(explainError),
  };
}
