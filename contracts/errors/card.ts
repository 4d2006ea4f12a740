import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/**
 * Smart-card errors: the APDU layer (protocols/apdu), the GB18240.2 codecs and status-word tables
 * (protocols/gb18240-card), CardSession and the virtual cards. `{command}` is the GB18240 or ISO
 * command name, `{sw}` the status word in hex.
 */
export const cardErrors = {
  CARD_APDU_INVALID: {
    http: 500, exit: ExitCode.failed,
    zh: '无法构造卡片指令：{detail}', en: 'Cannot build the card command: {detail}',
    remedyZh: '这是软件错误，请保存日志并报告。', remedyEn: 'This is a software fault: keep the log and report it.',
  },
  CARD_VALUE_INVALID: {
    http: 400, exit: ExitCode.usage,
    zh: '字段 {field} 的值无效：{detail}', en: 'Invalid value for {field}: {detail}',
    remedyZh: '请检查输入的参数。', remedyEn: 'Check the parameters that were given.',
  },
  CARD_RESPONSE_MALFORMED: {
    http: 502, exit: ExitCode.failed,
    zh: '卡片应答格式错误：{detail}', en: 'Malformed card response: {detail}',
    remedyZh: '请重新插卡后再试；仍然出错则卡片或读卡器可能有故障。', remedyEn: 'Re-insert the card and try again; if it persists the card or reader may be faulty.',
  },
  CARD_XOR_MISMATCH: {
    http: 502, exit: ExitCode.failed,
    zh: '{command} 的应答校验字节错误', en: 'The XOR check byte of the {command} response is wrong',
    remedyZh: '通讯受到干扰：请清洁卡片触点，重新插卡后再试。', remedyEn: 'The exchange was corrupted: clean the card contacts, re-insert the card and try again.',
  },
  CARD_UNKNOWN_STATUS: {
    http: 502, exit: ExitCode.failed,
    zh: '{command} 返回未知状态字 {sw}', en: '{command} answered with an unknown status word {sw}',
    remedyZh: '请保存日志并报告此卡片型号。', remedyEn: 'Keep the log and report the card model.',
  },
  CARD_TRANSMIT_FAILED: {
    http: 502, exit: ExitCode.unreachable,
    zh: '与卡片通讯失败：{detail}', en: 'Communication with the card failed: {detail}',
    remedyZh: '请检查卡片是否插好、读卡器是否连接。', remedyEn: 'Check that the card is inserted and the reader connected.',
  },
  CARD_WRONG_TYPE: {
    http: 409, exit: ExitCode.failed,
    zh: '卡片类型不符：需要{expected}', en: 'Wrong card: a {expected} is needed',
    remedyZh: '请确认插入的是正确的卡片，且插在正确的卡槽中。', remedyEn: 'Make sure the right card is inserted, in the right slot.',
  },
  CARD_PIN_WRONG: {
    http: 403, exit: ExitCode.refused,
    zh: '税控卡口令错误，剩余 {triesLeft} 次', en: 'Wrong fiscal card PIN, {triesLeft} tries left',
    remedyZh: '请停止操作，不要再试；请核对收款机保存的口令，必要时联系税务机关。', remedyEn: 'Stop and do not try again; check the PIN the register holds and contact the tax office if needed.',
  },
  CARD_PIN_LOCKED: {
    http: 403, exit: ExitCode.refused,
    zh: '税控卡口令已锁定', en: 'The fiscal card PIN is locked',
    remedyZh: '卡片已锁死，须由税务机关解锁或更换。', remedyEn: 'The card is locked: the tax office must unlock or replace it.',
  },
  CARD_AUTH_LOCKED: {
    http: 403, exit: ExitCode.refused,
    zh: '{command}：卡片的口令或认证已锁定', en: '{command}: the card PIN or authentication is locked',
    remedyZh: '卡片已锁死，须由税务机关解锁或更换。', remedyEn: 'The card is locked: the tax office must unlock or replace it.',
  },
  CARD_PIN_LAST_TRY: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡口令只剩 {triesLeft} 次机会，已拒绝校验', en: 'Only {triesLeft} PIN try left on the fiscal card: verification refused',
    remedyZh: '网关不会用掉最后一次口令机会；请先联系税务机关核实口令。', remedyEn: 'The gateway does not spend the last PIN try; confirm the PIN with the tax office first.',
  },
  CARD_PIN_TRIES_UNKNOWN: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡不告知口令剩余次数，这次校验可能用掉最后一次机会，已拒绝', en: 'The fiscal card does not tell its PIN tries left, so this check might spend the last try: refused',
    remedyZh: '网关不会为查询次数而耗用口令机会。请先联系税务机关核实口令；确认无误后加 --allow-last-pin-try 重新运行（API：allowLastPinTry）。',
    remedyEn: 'The gateway never spends a try to learn the count. Confirm the PIN with the tax office first; once sure, run again with --allow-last-pin-try (API: allowLastPinTry).',
  },
  CARD_REGISTRATION_UNCERTAIN: {
    http: 409, exit: ExitCode.refused,
    zh: '无法确定税控卡是否已注册（注册标志与卡片其他信息不一致或无从核对），已拒绝会耗用口令机会的操作',
    en: 'Whether the fiscal card is registered is uncertain (its registration flag cannot be confirmed by anything else it says): a step that spends a PIN try is refused',
    remedyZh: '请用 fiscalctl card 查看卡片状态，并向税务机关核实该卡是否已注册；网关不会在状态不确定时让卡片校验口令。',
    remedyEn: 'Look at the card with fiscalctl card and confirm with the tax office whether it is registered; the gateway does not let the card check a PIN while this is uncertain.',
  },
  CARD_WARNING_STATUS: {
    http: 502, exit: ExitCode.failed,
    zh: '{command}：卡片返回警告状态字 {sw}，未按成功处理', en: '{command}: the card answered with the warning {sw}, not taken as success',
    remedyZh: '卡片处理了命令但给出警告（如数据可能损坏、文件已停用）；请用 fiscalctl card 读取卡片状态后再决定下一步。',
    remedyEn: 'The card processed the command with a warning (data may be corrupted, file deactivated…); read the card with fiscalctl card before going on.',
  },
  CARD_SECURITY_NOT_SATISFIED: {
    http: 409, exit: ExitCode.failed,
    zh: '{command} 的安全条件不满足（未校验口令或未认证）', en: '{command}: security state not satisfied (PIN or authentication missing)',
    remedyZh: '须先完成口令校验或认证步骤；这通常是软件流程错误。', remedyEn: 'The PIN or authentication step must come first; this is usually a software fault.',
  },
  CARD_MAC_MISMATCH: {
    http: 409, exit: ExitCode.refused,
    zh: '{command} 的 MAC 校验失败：税控卡与用户卡不匹配', en: '{command}: MAC check failed, the fiscal card and user card do not belong together',
    remedyZh: '请确认税控卡和用户卡属于同一纳税人，并由同一税务机关发行。', remedyEn: 'Check that the fiscal card and user card belong to the same taxpayer and were issued by the same tax office.',
  },
  CARD_ALREADY_REGISTERED: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡已注册', en: 'The fiscal card is already registered',
    remedyZh: '已注册的税控卡不能再次初始化；请核对卡片的注册状态。', remedyEn: 'A registered fiscal card cannot be initialized again; check the card registration state.',
  },
  CARD_NOT_REGISTERED: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡尚未注册', en: 'The fiscal card is not registered',
    remedyZh: '请先完成税控初始化。', remedyEn: 'Run the fiscal initialization first.',
  },
  CARD_STATE_NOT_ALLOWED: {
    http: 409, exit: ExitCode.failed,
    zh: '卡片当前状态不允许 {command}', en: 'The card state does not allow {command}',
    remedyZh: '请先读取卡片状态再决定下一步。', remedyEn: 'Read the card state first.',
  },
  CARD_CONDITIONS_NOT_SATISFIED: {
    http: 409, exit: ExitCode.failed,
    zh: '{command} 的使用条件不满足（应用锁定或存储已满）', en: '{command}: conditions of use not satisfied (application locked or store full)',
    remedyZh: '请读取卡片状态；可能需要到税务机关处理。', remedyEn: 'Read the card state; the tax office may need to act.',
  },
  CARD_ISSUE_NOT_ALLOWED: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡拒绝开票：开票截止日期或卡片有效期已过', en: 'The fiscal card refuses to issue: the issue deadline or the card validity has passed',
    remedyZh: '请完成申报并更新监控数据，或到税务机关更换卡片。', remedyEn: 'Declare and update the monitoring data, or have the tax office replace the card.',
  },
  CARD_LIMIT_EXCEEDED: {
    http: 409, exit: ExitCode.refused,
    zh: '开票金额超过限额', en: 'The invoice amount exceeds a limit',
    remedyZh: '请检查单张、累计和退票限额；累计限额需申报并更新监控数据后恢复。', remedyEn: 'Check the single, cumulative and return limits; the cumulative limit resets after declaration and a control update.',
  },
  CARD_NO_ROLL_TO_DISTRIBUTE: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡上没有可分发的发票卷', en: 'The user card has no invoice roll left to distribute',
    remedyZh: '请到税务机关购买发票。', remedyEn: 'Buy invoices at the tax office.',
  },
  CARD_USER_LACKS_FISCAL_CARD: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡中没有这张税控卡', en: 'The user card does not list this fiscal card',
    remedyZh: '请到税务机关在用户卡上登记这台收款机及其税控卡。', remedyEn: 'Have the tax office register this machine and its fiscal card on the user card.',
  },
  CARD_WRONG_DATA: {
    http: 409, exit: ExitCode.failed,
    zh: '卡片拒绝 {command} 的数据（日期、税目、发票号或卡号错误）', en: 'The card refused the {command} data (date, tax item, invoice number or card number)',
    remedyZh: '请检查收款机时钟和参数。', remedyEn: 'Check the register clock and parameters.',
  },
  CARD_STORE_FULL: {
    http: 409, exit: ExitCode.failed,
    zh: '卡片存储已满（{command}）', en: 'The card store is full ({command})',
    remedyZh: '请先完成申报或到税务机关处理，必要时更换卡片。', remedyEn: 'Finish the declaration or visit the tax office; the card may need replacing.',
  },
  CARD_MEMORY_FAULT: {
    http: 502, exit: ExitCode.failed,
    zh: '卡片存储写入失败', en: 'The card memory write failed',
    remedyZh: '卡片正在损坏：请到税务机关更换。', remedyEn: 'The card is failing: have the tax office replace it.',
  },
  CARD_KEY_VERSION: {
    http: 409, exit: ExitCode.refused,
    zh: '卡片不支持此密钥版本', en: 'The card does not support this key version',
    remedyZh: '卡片属于另一密钥批次，请到税务机关处理。', remedyEn: 'The card belongs to another key generation: visit the tax office.',
  },
  CARD_KEY_NOT_FOUND: {
    http: 409, exit: ExitCode.failed,
    zh: '卡片中没有 {command} 所需的密钥', en: 'The card holds no key for {command}',
    remedyZh: '卡片未为此操作个人化，请到税务机关处理。', remedyEn: 'The card is not personalized for this operation: visit the tax office.',
  },
  CARD_APP_LOCKED: {
    http: 409, exit: ExitCode.refused,
    zh: '卡片应用已锁定', en: 'The card application is locked',
    remedyZh: '卡片必须由税务机关更换。', remedyEn: 'The tax office must replace the card.',
  },
  CARD_FUNCTION_NOT_SUPPORTED: {
    http: 409, exit: ExitCode.failed,
    zh: '卡片不支持 {command}（没有主文件或应用已锁定）', en: 'The card does not support {command} (no master file, or the application is locked)',
    remedyZh: '可能插错了卡片类型；若卡片类型正确，则其应用已锁定，须到税务机关处理。',
    remedyEn: 'The wrong kind of card may be inserted; if it is the right card, its application is locked and the tax office must act.',
  },
  CARD_FILE_NOT_FOUND: {
    http: 409, exit: ExitCode.failed,
    zh: '卡片上没有 {file}', en: 'The card has no {file}',
    remedyZh: '可能插错了卡片类型。', remedyEn: 'The wrong kind of card may be inserted.',
  },
  CARD_RECORD_NOT_FOUND: {
    http: 404, exit: ExitCode.failed,
    zh: '卡片上没有该记录（{command}）', en: 'The card has no such record ({command})',
  },
  CARD_WRONG_LENGTH: {
    http: 502, exit: ExitCode.failed,
    zh: '{command} 的长度错误', en: 'Wrong length for {command}',
    remedyZh: '这是软件错误，请保存日志并报告。', remedyEn: 'This is a software fault: keep the log and report it.',
  },
  CARD_WRONG_PARAMETERS: {
    http: 502, exit: ExitCode.failed,
    zh: '卡片不支持 {command}（参数、指令或类别错误）', en: 'The card does not support {command} (wrong parameters, instruction or class)',
    remedyZh: '可能插错了卡片类型；否则请保存日志并报告。', remedyEn: 'The wrong kind of card may be inserted; otherwise keep the log and report it.',
  },
  CARD_COMMAND_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '卡片执行 {command} 失败（状态字 {sw}）', en: 'The card failed {command} (status word {sw})',
    remedyZh: '请重新插卡后再试；仍然出错请保存日志并报告。', remedyEn: 'Re-insert the card and try again; if it persists keep the log and report it.',
  },
  CARD_PERSONALIZATION_INVALID: {
    http: 400, exit: ExitCode.usage,
    zh: '虚拟卡个人化数据无效：{detail}', en: 'Invalid virtual card personalization: {detail}',
  },
} as const satisfies ErrorTable;
