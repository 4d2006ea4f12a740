import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/**
 * Errors of the GB link (protocols/gb-link, src/devices/RegisterSession).
 * The first part maps the register's ER codes (protocols/gb-link/SPEC.md §6); the last part
 * is the session's own: timeouts, busy, lost replies, malformed frames and payloads.
 */
export const linkErrors = {
  // ER 01–0F: card faults, five kinds for each of the fiscal, user and management card.
  LINK_FISCAL_CARD_POWER_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机报告税控卡上电失败', en: 'The register could not power the fiscal card',
    remedyZh: '取出税控卡，清洁触点后重新插入；仍失败则更换卡座或送税务机关检测税控卡。',
    remedyEn: 'Take the fiscal card out, clean its contacts and insert it again; if it still fails, replace the slot or have the tax office test the card.',
  },
  LINK_FISCAL_CARD_ABSENT: {
    http: 409, exit: ExitCode.failed,
    zh: '收款机中没有税控卡', en: 'There is no fiscal card in the register',
    remedyZh: '将本机的税控卡插入小卡槽。', remedyEn: "Insert this machine's fiscal card into the small slot.",
  },
  LINK_FISCAL_CARD_READ_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机读税控卡失败', en: 'The register could not read the fiscal card',
    remedyZh: '重新插卡后重试；反复出现请送税务机关检测税控卡。', remedyEn: 'Re-insert the card and retry; if it recurs, have the tax office test the fiscal card.',
  },
  LINK_FISCAL_CARD_WRITE_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机写税控卡失败', en: 'The register could not write the fiscal card',
    remedyZh: '先读回状态确认操作是否生效，再重试；反复出现请更换税控卡。', remedyEn: 'Read the state back to see whether the operation took effect, then retry; if it recurs, replace the fiscal card.',
  },
  LINK_FISCAL_CARD_ILLEGAL: {
    http: 409, exit: ExitCode.refused,
    zh: '小卡槽中的卡不是合法的税控卡', en: 'The card in the small slot is not a valid fiscal card',
    remedyZh: '检查插入的是否为本机的税控卡。', remedyEn: "Check that the card inserted is this machine's fiscal card.",
  },
  LINK_USER_CARD_POWER_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机报告用户卡上电失败', en: 'The register could not power the user card',
    remedyZh: '取出用户卡，清洁触点后重新插入。', remedyEn: 'Take the user card out, clean its contacts and insert it again.',
  },
  LINK_USER_CARD_ABSENT: {
    http: 409, exit: ExitCode.failed,
    zh: '收款机中没有用户卡', en: 'There is no user card in the register',
    remedyZh: '将纳税人的用户卡插入收款机的用户卡槽。', remedyEn: "Insert the taxpayer's user card into the register's user card slot.",
  },
  LINK_USER_CARD_READ_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机读用户卡失败', en: 'The register could not read the user card',
    remedyZh: '重新插卡后重试；反复出现请到税务机关检测用户卡。', remedyEn: 'Re-insert the card and retry; if it recurs, have the tax office test the user card.',
  },
  LINK_USER_CARD_WRITE_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机写用户卡失败', en: 'The register could not write the user card',
    remedyZh: '先读回用户卡确认操作是否生效，再重试。', remedyEn: 'Read the user card back to see whether the operation took effect, then retry.',
  },
  LINK_USER_CARD_ILLEGAL: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡槽中的卡不是合法的用户卡', en: 'The card in the user slot is not a valid user card',
    remedyZh: '检查插入的是否为该纳税人的用户卡。', remedyEn: "Check that the card inserted is the taxpayer's user card.",
  },
  LINK_MANAGEMENT_CARD_POWER_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机报告管理卡上电失败', en: 'The register could not power the management card',
    remedyZh: '取出管理卡，清洁触点后重新插入。', remedyEn: 'Take the management card out, clean its contacts and insert it again.',
  },
  LINK_MANAGEMENT_CARD_ABSENT: {
    http: 409, exit: ExitCode.failed,
    zh: '收款机中没有管理卡（稽查卡）', en: 'There is no management (inspection) card in the register',
    remedyZh: '请税务人员插入管理卡或稽查卡。', remedyEn: 'Ask the tax officer to insert the management or inspection card.',
  },
  LINK_MANAGEMENT_CARD_READ_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机读管理卡失败', en: 'The register could not read the management card',
    remedyZh: '重新插卡后重试。', remedyEn: 'Re-insert the card and retry.',
  },
  LINK_MANAGEMENT_CARD_WRITE_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机写管理卡失败', en: 'The register could not write the management card',
    remedyZh: '重新插卡后重试。', remedyEn: 'Re-insert the card and retry.',
  },
  LINK_MANAGEMENT_CARD_ILLEGAL: {
    http: 409, exit: ExitCode.refused,
    zh: '插入的不是合法的管理卡', en: 'The card inserted is not a valid management card',
    remedyZh: '请使用税务机关发放的管理卡或稽查卡。', remedyEn: 'Use a management or inspection card issued by the tax office.',
  },
  // ER 10–61
  LINK_NOT_INITIALIZED: {
    http: 409, exit: ExitCode.failed,
    zh: '收款机尚未税控初始化', en: 'The register has not been fiscally initialized',
    remedyZh: '先完成税控初始化。', remedyEn: 'Run the fiscal initialization first.',
  },
  LINK_ISSUE_DEADLINE_PASSED: {
    http: 409, exit: ExitCode.failed,
    zh: '已超过开票截止日期', en: 'The invoice issuing deadline has passed',
    remedyZh: '完成申报并到税务机关完税后更新监控数据。', remedyEn: 'Declare, settle the tax at the tax office, then update the control data.',
  },
  LINK_SINGLE_LIMIT_EXCEEDED: {
    http: 409, exit: ExitCode.failed,
    zh: '超过单张发票开票金额限额', en: 'The single-invoice amount limit is exceeded',
    remedyZh: '核对金额，或到税务机关调整限额。', remedyEn: 'Check the amount, or have the tax office raise the limit.',
  },
  LINK_TOTAL_LIMIT_EXCEEDED: {
    http: 409, exit: ExitCode.failed,
    zh: '超过累计开票金额限额', en: 'The cumulative invoicing limit is exceeded',
    remedyZh: '申报并完税后更新监控数据。', remedyEn: 'Declare, settle the tax, then update the control data.',
  },
  LINK_RETURN_LIMIT_EXCEEDED: {
    http: 409, exit: ExitCode.failed,
    zh: '超过累计退票金额限额', en: 'The cumulative return limit is exceeded',
    remedyZh: '申报并完税后更新监控数据。', remedyEn: 'Declare, settle the tax, then update the control data.',
  },
  LINK_FISCAL_CARD_FOREIGN: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡不属于本机', en: 'The fiscal card does not belong to this machine',
    remedyZh: '插入与本机机器编号对应的税控卡。', remedyEn: "Insert the fiscal card registered to this machine's number.",
  },
  LINK_USER_CARD_MAC_ERROR: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡MAC校验错误', en: 'The user card MAC check failed',
    remedyZh: '用户卡与税控卡不配套，请核对卡片。', remedyEn: 'The user card and fiscal card do not belong together; check the cards.',
  },
  LINK_FISCAL_CARD_MAC_ERROR: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡MAC校验错误', en: 'The fiscal card MAC check failed',
    remedyZh: '税控卡与用户卡不配套，请核对卡片。', remedyEn: 'The fiscal card and user card do not belong together; check the cards.',
  },
  LINK_PIN_CHECK_FAILED: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡口令校验失败', en: 'The fiscal card PIN check failed',
    remedyZh: '不要重试；读出税控卡剩余次数并联系税务机关。', remedyEn: 'Do not retry; read the remaining tries from the fiscal card and contact the tax office.',
  },
  LINK_ILLEGAL_TAX_ITEM: {
    http: 422, exit: ExitCode.failed,
    zh: '税种税目非法', en: 'Illegal tax item',
    remedyZh: '核对用户卡中的税种税目。', remedyEn: 'Check the tax items on the user card.',
  },
  LINK_DECLARATION_DATE_AFTER_TODAY: {
    http: 422, exit: ExitCode.failed,
    zh: '申报截止日期晚于今天', en: 'The declaration end date is after today',
    remedyZh: '检查收款机时钟和申报日期。', remedyEn: "Check the register's clock and the declaration date.",
  },
  LINK_DECLARATION_DATE_BEFORE_LAST: {
    http: 422, exit: ExitCode.failed,
    zh: '申报日期早于上次申报日期', en: 'The declaration date is before the last declaration',
    remedyZh: '检查收款机时钟和申报日期。', remedyEn: "Check the register's clock and the declaration date.",
  },
  LINK_USER_CARD_LOCKED: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡已锁', en: 'The user card is locked',
    remedyZh: '到税务机关解锁或更换用户卡。', remedyEn: 'Have the tax office unlock or replace the user card.',
  },
  LINK_FISCAL_CARD_LOCKED: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡已锁', en: 'The fiscal card is locked',
    remedyZh: '到税务机关解锁或更换税控卡。', remedyEn: 'Have the tax office unlock or replace the fiscal card.',
  },
  LINK_ALREADY_INITIALIZED: {
    http: 409, exit: ExitCode.failed,
    zh: '收款机已经初始化', en: 'The register is already initialized',
    remedyZh: '如需更换纳税人，先办理注销。', remedyEn: 'To change the taxpayer, deregister the machine first.',
  },
  LINK_CRC_ERROR: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机收到的数据校验错误', en: 'The register received a frame with a bad CRC',
    remedyZh: '检查串口线和波特率；降低波特率后重试。', remedyEn: 'Check the cable and baud rate; retry at a lower baud rate.',
  },
  LINK_UNKNOWN_COMMAND: {
    http: 501, exit: ExitCode.failed,
    zh: '收款机不支持命令 {command}', en: 'The register does not support command {command}',
    remedyZh: '升级收款机固件，或使用其他操作方式。', remedyEn: "Upgrade the register's firmware, or use another way to do this.",
  },
  LINK_BAD_HEADER: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机报告帧头错误', en: 'The register reported a bad frame header',
    remedyZh: '检查串口线和波特率。', remedyEn: 'Check the cable and baud rate.',
  },
  LINK_BAD_LENGTH: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机报告命令 {command} 的数据长度超出其能力或不符', en: 'The register refused command {command} as too long (or of the wrong length) for it',
    remedyZh: '网关不会原样重发；分页读取会自动缩小页面。若单条命令仍被拒绝，请保存日志并报告。',
    remedyEn: 'The gateway never re-sends it unchanged; paged reads shrink their pages by themselves. If a single command is still refused, keep the log and report it.',
  },
  LINK_INVOICES_USED_UP: {
    http: 409, exit: ExitCode.failed,
    zh: '发票已用完', en: 'The invoices are used up',
    remedyZh: '分发并录入新的发票卷。', remedyEn: 'Distribute and input a new invoice roll.',
  },
  LINK_INVOICE_MEMORY_FAULT: {
    http: 502, exit: ExitCode.failed,
    zh: '发票存储器故障', en: 'Invoice memory fault',
    remedyZh: '停止开票，备份数据后送修。', remedyEn: 'Stop invoicing, back up the data and send the register for repair.',
  },
  LINK_FISCAL_MEMORY_FAULT: {
    http: 502, exit: ExitCode.failed,
    zh: '税控存储器故障', en: 'Fiscal memory fault',
    remedyZh: '停止使用，备份数据后报税务机关并送修。', remedyEn: 'Stop using the register, back up the data, notify the tax office and send it for repair.',
  },
  LINK_VALUE_OVERFLOW: {
    http: 422, exit: ExitCode.failed,
    zh: '日期或数值溢出', en: 'Date or value out of range',
    remedyZh: '检查收款机时钟和输入的数值。', remedyEn: "Check the register's clock and the values entered.",
  },
  LINK_FISCAL_CARD_ALREADY_REGISTERED: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡已经注册', en: 'The fiscal card is already registered',
    remedyZh: '该税控卡已用于初始化，请核对卡片。', remedyEn: 'This fiscal card was already used for an initialization; check the card.',
  },
  LINK_NO_INVOICE_NUMBERS: {
    http: 409, exit: ExitCode.failed,
    zh: '没有可用的发票号', en: 'No invoice numbers are available',
    remedyZh: '录入新的发票卷。', remedyEn: 'Input a new invoice roll.',
  },
  LINK_NOTHING_TO_DISTRIBUTE: {
    http: 409, exit: ExitCode.failed,
    zh: '用户卡中没有可分发的发票号', en: 'The user card has no invoice numbers to distribute',
    remedyZh: '到税务机关购买发票并写入用户卡。', remedyEn: 'Buy invoices at the tax office and have them written to the user card.',
  },
  LINK_ISSUE_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '开票失败', en: 'Issuing the invoice failed',
    remedyZh: '读回状态确认发票是否已开具，再决定是否重开。', remedyEn: 'Read the state back to see whether the invoice was issued before issuing again.',
  },
  LINK_NO_TAX_ITEMS: {
    http: 409, exit: ExitCode.failed,
    zh: '收款机中没有税种税目', en: 'The register holds no tax items',
    remedyZh: '检查初始化数据中的税种税目。', remedyEn: 'Check the tax items of the initialization data.',
  },
  LINK_DECLARATION_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '申报失败', en: 'The declaration failed',
    remedyZh: '读回申报记录确认是否生效，再重试。', remedyEn: 'Read the declaration records back to see whether it took effect, then retry.',
  },
  LINK_FISCAL_CARD_EXPIRED: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡已过有效期', en: 'The fiscal card is past its validity',
    remedyZh: '到税务机关更换税控卡。', remedyEn: 'Have the tax office replace the fiscal card.',
  },
  LINK_USER_CARD_EXPIRED: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡已过有效期', en: 'The user card is past its validity',
    remedyZh: '到税务机关更换用户卡。', remedyEn: 'Have the tax office replace the user card.',
  },
  LINK_DECLARATION_UNFINISHED: {
    http: 409, exit: ExitCode.failed,
    zh: '用户卡中有未完成的申报', en: 'The user card holds an unfinished declaration',
    remedyZh: '纳税人须先到税务机关完成申报。', remedyEn: 'The taxpayer must first finish the declaration at the tax office.',
  },
  LINK_SIGNATURE_ERROR: {
    http: 502, exit: ExitCode.failed,
    zh: '数据签名错误', en: 'Data signature error',
    remedyZh: '检查税控卡；反复出现请报税务机关。', remedyEn: 'Check the fiscal card; if it recurs, notify the tax office.',
  },
  LINK_DISTRIBUTION_STORE_FULL: {
    http: 409, exit: ExitCode.failed,
    zh: '发票分发记录存储已满', en: 'The invoice distribution store is full',
    remedyZh: '备份数据后联系税务机关。', remedyEn: 'Back up the data and contact the tax office.',
  },
  LINK_DAILY_STORE_FULL: {
    http: 409, exit: ExitCode.failed,
    zh: '日交易记录存储已满', en: 'The daily record store is full',
    remedyZh: '备份数据后联系税务机关更换税控存储器。', remedyEn: 'Back up the data and have the tax office replace the fiscal memory.',
  },
  LINK_USER_CARD_LACKS_FISCAL_CARD: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡中没有本机税控卡的记录', en: "The user card has no record of this machine's fiscal card",
    remedyZh: '到税务机关将本机登记到用户卡。', remedyEn: 'Have the tax office register this machine on the user card.',
  },
  LINK_POWER_FAILURE: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机报告掉电故障', en: 'The register reports a power failure',
    remedyZh: '检查电源，读回状态确认最后一次操作是否完成。', remedyEn: 'Check the power supply and read the state back to see whether the last operation completed.',
  },
  LINK_USB_STICK_MISSING: {
    http: 409, exit: ExitCode.failed,
    zh: '请插入U盘', en: 'Insert the USB stick',
    remedyZh: '将准备好的U盘插入收款机。', remedyEn: 'Insert the prepared USB stick into the register.',
  },
  LINK_USB_STICK_FAULT: {
    http: 502, exit: ExitCode.failed,
    zh: 'U盘故障', en: 'USB stick fault',
    remedyZh: '更换U盘并重新准备升级文件。', remedyEn: 'Use another USB stick and stage the upgrade file again.',
  },
  // ER 70–74: the project's extensions (SPEC.md §6).
  LINK_FIRMWARE_OFFSET_REFUSED: {
    http: 409, exit: ExitCode.failed,
    zh: '收款机拒绝固件数据块（偏移 {offset}）', en: 'The register refused the firmware block at offset {offset}',
    remedyZh: '重新查询升级进度后从收款机给出的偏移继续。', remedyEn: "Query the transfer state and resume from the register's offset.",
  },
  LINK_FIRMWARE_DIGEST_MISMATCH: {
    http: 409, exit: ExitCode.refused,
    zh: '收款机计算的固件摘要与升级包不符', en: "The register's firmware digest does not match the package",
    remedyZh: '重新传输固件；反复出现请检查升级包。', remedyEn: 'Transfer the firmware again; if it recurs, check the package.',
  },
  LINK_FIRMWARE_REFUSED: {
    http: 409, exit: ExitCode.refused,
    zh: '收款机拒绝该固件（型号或版本不符）', en: 'The register refused the firmware (model or version)',
    remedyZh: '核对升级包的型号和版本。', remedyEn: "Check the package's model and version.",
  },
  LINK_BAUD_UNSUPPORTED: {
    http: 422, exit: ExitCode.failed,
    zh: '收款机不支持波特率 {baud}', en: 'The register does not support {baud} baud',
    remedyZh: '使用收款机能力查询给出的波特率。', remedyEn: 'Use a baud rate the register lists in its capabilities.',
  },
  LINK_FIRMWARE_NO_TRANSFER: {
    http: 409, exit: ExitCode.failed,
    zh: '收款机没有进行中的固件传输', en: 'The register has no firmware transfer in progress',
    remedyZh: '从头开始固件传输。', remedyEn: 'Start the firmware transfer again.',
  },
  LINK_DEVICE_ERROR: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机返回未知错误码 {code}', en: 'The register answered with unknown error code {code}',
    remedyZh: '查阅收款机手册中的错误码，保存日志并报告。', remedyEn: "Look the code up in the register's manual, keep the log and report it.",
  },
  // The session's own.
  LINK_TIMEOUT: {
    http: 504, exit: ExitCode.unreachable,
    zh: '收款机未在 {ms} 毫秒内应答命令 {command}', en: 'The register did not answer command {command} within {ms} ms',
    remedyZh: '检查收款机电源、串口线和波特率设置。', remedyEn: "Check the register's power, the cable and the baud rate.",
  },
  LINK_DEVICE_BUSY: {
    http: 503, exit: ExitCode.busy,
    zh: '收款机持续忙碌超过 {ms} 毫秒（命令 {command}）', en: 'The register stayed busy for more than {ms} ms (command {command})',
    remedyZh: '等收款机完成当前操作后重试。', remedyEn: 'Wait for the register to finish what it is doing, then retry.',
  },
  LINK_IN_DOUBT: {
    http: 502, exit: ExitCode.failed,
    zh: '命令 {command} 的应答丢失，无法确认是否已生效', en: 'The reply to command {command} was lost and whether it took effect is unknown',
    remedyZh: '不要重复操作；先读回收款机状态核对，再决定下一步。', remedyEn: "Do not repeat the operation; read the register's state back and check it before doing anything else.",
  },
  LINK_FRAME_INVALID: {
    http: 502, exit: ExitCode.failed,
    zh: 'GB 链路帧无效：{detail}', en: 'Invalid GB link frame: {detail}',
    remedyZh: '检查串口线和波特率；反复出现请保存日志并报告。', remedyEn: 'Check the cable and baud rate; if it recurs, keep the log and report it.',
  },
  LINK_PAYLOAD_INVALID: {
    http: 502, exit: ExitCode.failed,
    zh: '命令 {command} 的数据无效：{detail}', en: 'Invalid data for command {command}: {detail}',
    remedyZh: '保存日志并报告此问题。', remedyEn: 'Keep the log and report the problem.',
  },
  LINK_EXTENSION_NOT_OFFERED: {
    http: 501, exit: ExitCode.failed,
    zh: '收款机的能力应答（命令 70）未列出命令 {command}，网关不发送该命令', en: 'The register does not list command {command} in its capabilities (70), so the gateway does not send it',
    remedyZh: '此收款机固件不提供该扩展；网关会改用公共命令，若仍需要该功能请升级固件。',
    remedyEn: "This register's firmware does not offer the extension; the gateway uses public commands instead, and a firmware upgrade adds it where needed.",
  },
  LINK_REGISTER_BELOW_MINIMUM: {
    http: 501, exit: ExitCode.failed,
    zh: '收款机未按要求应答命令 {command}，网关无法为其服务（收款机至少须应答命令 {minimum}）',
    en: 'The register does not answer command {command} as the gateway needs it, so it cannot be served (a register must answer commands {minimum})',
    remedyZh: '此收款机的固件不符合网关要求的最低命令集；请升级固件或联系厂家。',
    remedyEn: "This register's firmware lacks the minimum command set the gateway needs; upgrade its firmware or contact the manufacturer.",
  },
  LINK_CLOSED: {
    http: 503, exit: ExitCode.unreachable,
    zh: '与收款机的连接已断开', en: 'The link to the register is closed',
    remedyZh: '检查连接线，收款机重新上线后重试。', remedyEn: 'Check the cable and retry once the register is back online.',
  },
} as const satisfies ErrorTable;
