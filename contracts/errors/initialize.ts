import { ExitCode, type ErrorTable } from './ErrorSpec.js';

/**
 * Initialization (税控初始化, src/services/initialize) and card reading for people (src/services/cards).
 * One code per check of the dry run (GB18240.md "Flows", initialization steps 1–5 and the register's
 * own preconditions), then the codes of the real run. A failure of the real run carries in its data
 * the step, the card or register error it came from (both languages) and what was and was not changed.
 */
export const initializeErrors = {
  INIT_FISCAL_CARD_UNREADABLE: {
    http: 409, exit: ExitCode.refused,
    zh: '无法读取{where}中的税控卡：{cause}', en: 'The fiscal card in {where} cannot be read: {cause}',
    remedyZh: '请确认税控卡已插好（芯片朝上）后重试。', remedyEn: 'Make sure the fiscal card is inserted (chip up), then try again.',
  },
  INIT_USER_CARD_UNREADABLE: {
    http: 409, exit: ExitCode.refused,
    zh: '无法读取{where}中的用户卡：{cause}', en: 'The user card in {where} cannot be read: {cause}',
    remedyZh: '请确认用户卡已插好（芯片朝上）后重试。', remedyEn: 'Make sure the user card is inserted (chip up), then try again.',
  },
  INIT_FISCAL_CARD_WRONG_TYPE: {
    http: 409, exit: ExitCode.refused,
    zh: '{where}中的卡不是税控卡（识别为：{found}）', en: 'The card in {where} is not a fiscal card (it is: {found})',
    remedyZh: '请把税控卡插入收款机的税控卡槽（小卡槽）或指定的读卡器。', remedyEn: 'Put the fiscal card in the register\'s fiscal-card slot (the small one) or the reader named.',
  },
  INIT_USER_CARD_WRONG_TYPE: {
    http: 409, exit: ExitCode.refused,
    zh: '{where}中的卡不是用户卡（识别为：{found}）', en: 'The card in {where} is not a user card (it is: {found})',
    remedyZh: '请把纳税人的用户卡插入用户卡槽或指定的读卡器。', remedyEn: 'Put the taxpayer\'s user card in the user-card slot or the reader named.',
  },
  INIT_FISCAL_CARD_REGISTERED: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡 {cardNumber} 已经注册过，不能再次初始化', en: 'Fiscal card {cardNumber} is already registered and cannot be initialized again',
    remedyZh: '请持税控卡到税务机关处理。（本网关能继续的中断初始化，试运行会直接从中断处继续，不会出现这条提示。）',
    remedyEn: 'Take the fiscal card to the tax office. (An interrupted initialization this gateway can continue is resumed by the dry run, without this message.)',
  },
  INIT_WRONG_MACHINE: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡属于机器 {cardMachine}，而这台收款机的机器编号是 {registerMachine}', en: 'The fiscal card belongs to machine {cardMachine}, but this register is machine {registerMachine}',
    remedyZh: '请使用为这台收款机发行的税控卡，或把卡插到它所属的收款机上。', remedyEn: 'Use the fiscal card issued for this register, or put the card in the register it belongs to.',
  },
  INIT_TAXPAYER_MISMATCH: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡的纳税人（{userTaxpayer}）与税控卡的纳税人（{fiscalTaxpayer}）不一致', en: 'The user card\'s taxpayer ({userTaxpayer}) differs from the fiscal card\'s ({fiscalTaxpayer})',
    remedyZh: '请使用同一纳税人的用户卡。', remedyEn: 'Use the user card of the same taxpayer.',
  },
  INIT_USER_CARD_LACKS_MACHINE: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡上没有登记机器 {machineNumber} 及其税控卡 {fiscalCardNumber}', en: 'The user card does not list machine {machineNumber} with fiscal card {fiscalCardNumber}',
    remedyZh: '请到税务机关在用户卡上登记这台收款机和税控卡。', remedyEn: 'Have the tax office add this register and fiscal card to the user card.',
  },
  INIT_CARD_NOT_YET_VALID: {
    http: 409, exit: ExitCode.refused,
    zh: '卡片 {cardNumber} 的启用日期 {start} 晚于今天 {today}', en: 'Card {cardNumber} becomes valid on {start}, after today {today}',
    remedyZh: '请在启用日期之后再初始化，或先核对收款机和电脑的日期。', remedyEn: 'Initialize on or after that date, or first check the register\'s and the PC\'s date.',
  },
  INIT_CARD_EXPIRED: {
    http: 409, exit: ExitCode.refused,
    zh: '卡片 {cardNumber} 已于 {validUntil} 过期（今天 {today}）', en: 'Card {cardNumber} expired on {validUntil} (today is {today})',
    remedyZh: '请到税务机关换发或延期卡片。', remedyEn: 'Have the tax office renew or replace the card.',
  },
  INIT_DEADLINE_PASSED: {
    http: 409, exit: ExitCode.refused,
    zh: '开票截止日期 {deadline} 已过（今天 {today}）', en: 'The issue deadline {deadline} has passed (today is {today})',
    remedyZh: '请到税务机关更新用户卡上的监控数据。', remedyEn: 'Have the tax office update the monitoring data on the user card.',
  },
  INIT_DATES_OUT_OF_ORDER: {
    http: 409, exit: ExitCode.refused,
    zh: '卡片日期顺序不对：开票截止日期 {deadline} 晚于有效期 {validUntil}', en: 'The card dates are out of order: the issue deadline {deadline} is after the validity end {validUntil}',
    remedyZh: '卡片数据有误，请交税务机关重新发行。', remedyEn: 'The card data is wrong: have the tax office reissue it.',
  },
  INIT_NO_TAX_ITEMS: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡上缺少税控卡要用的税种税目（税目索引 {missing}）', en: 'The user card lacks tax items the fiscal card uses (tax index {missing})',
    remedyZh: '请到税务机关在用户卡上写入税种税目。', remedyEn: 'Have the tax office write the tax items onto the user card.',
  },
  INIT_NO_LIMITS: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡上没有税控卡 {fiscalCardNumber} 的监控数据（开票限额）', en: 'The user card holds no monitoring data (limits) for fiscal card {fiscalCardNumber}',
    remedyZh: '请到税务机关为这张税控卡写入监控数据。', remedyEn: 'Have the tax office write the monitoring data for this fiscal card.',
  },
  INIT_ALREADY_INITIALIZED: {
    http: 409, exit: ExitCode.refused,
    zh: '收款机已经初始化（税控卡 {fiscalCardNumber}）', en: 'The register is already initialized (fiscal card {fiscalCardNumber})',
    remedyZh: '无需再次初始化；要更改登记信息请办理变更（fiscalctl change）。', remedyEn: 'It needs no second initialization; to alter its data make a registration change (fiscalctl change).',
  },
  INIT_FISCAL_SLOT_EMPTY: {
    http: 409, exit: ExitCode.refused,
    zh: '收款机的税控卡槽中没有卡（收款机写入初始化数据时要校验它）', en: 'The register\'s fiscal-card slot is empty (the register checks the card when it writes the initialization)',
    remedyZh: '请把税控卡插入收款机的税控卡槽后重试。', remedyEn: 'Put the fiscal card in the register\'s fiscal-card slot and try again.',
  },
  INIT_CLOCK_OFF: {
    http: 409, exit: ExitCode.refused,
    zh: '收款机时钟 {registerTime} 与电脑时间 {hostTime} 相差 {offset} 秒，超过允许的 {tolerance} 秒', en: 'The register clock {registerTime} is {offset} s away from the PC\'s {hostTime}, more than the {tolerance} s allowed',
    remedyZh: '请在收款机上把时钟调到正确时间（初始化前收款机允许直接调整），或先校正电脑时间，然后重新试运行。',
    remedyEn: 'Set the register\'s clock to the right time on the register (it allows this before initialization), or correct the PC\'s clock, then run the dry run again.',
  },
  INIT_PIN_LAST_TRY: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡口令只剩 {triesLeft} 次机会，继续初始化时收款机校验口令会用掉它', en: 'The fiscal card has {triesLeft} PIN try left and resuming the initialization would make the register spend it',
    remedyZh: '请先联系税务机关核实；确认无误后加 --allow-last-pin-try 运行 fiscalctl init（API：allowLastPinTry）。',
    remedyEn: 'Check with the tax office first; once sure, run fiscalctl init with --allow-last-pin-try (API: allowLastPinTry).',
  },
  INIT_PIN_IN_DOUBT: {
    http: 409, exit: ExitCode.refused,
    zh: '上次初始化已把口令发给收款机但没有得到回答，收款机也没有完成初始化：税控卡可能已更换口令',
    en: 'The last initialization sent the PIN to the register without an answer, and the register is not initialized: the fiscal card may have rotated its PIN',
    remedyZh: '再次发送口令时，若卡片已更换口令会用掉一次口令机会。请先联系税务机关核实；确认后加 --resend-pin 运行 fiscalctl init（API：resendPin）。',
    remedyEn: 'Sending the PIN again spends a PIN try if the card rotated it. Check with the tax office first; once sure, run fiscalctl init with --resend-pin (API: resendPin).',
  },
  INIT_PIN_LOCKED: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡口令已锁定', en: 'The fiscal card PIN is locked',
    remedyZh: '税控卡已锁死，须由税务机关解锁或更换。', remedyEn: 'The card is locked: the tax office must unlock or replace it.',
  },
  INIT_TOKEN_INVALID: {
    http: 409, exit: ExitCode.refused,
    zh: '确认码无效：{reason}', en: 'The confirmation token is not valid: {reason}',
    remedyZh: '请重新试运行（不带 --yes 的 fiscalctl init），再用新的确认码执行；确认码只能用一次，几分钟后失效。',
    remedyEn: 'Run the dry run again (fiscalctl init without --yes) and use its new token; a token serves once and expires after a few minutes.',
  },
  INIT_FACTS_CHANGED: {
    http: 409, exit: ExitCode.refused,
    zh: '自检查以来卡片或收款机已变化：{fields}', en: 'The cards or the register changed since the checks: {fields}',
    remedyZh: '请重新试运行，核对卡片和收款机后再执行。', remedyEn: 'Run the dry run again and check the cards and the register before initializing.',
  },
  INIT_STEP_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '初始化在“{step}”步骤失败（{cause}）', en: 'Initialization failed at step "{step}" ({cause})',
    remedyZh: '详见错误中的原因和“已更改/未更改”说明；按说明处理后重新运行初始化。',
    remedyEn: 'See the cause and the changed / not changed statement in the error; act on them, then run the initialization again.',
  },
  INIT_READBACK_MISMATCH: {
    http: 502, exit: ExitCode.failed,
    zh: '收款机回读的初始化数据与卡片不一致：{fields}', en: 'The register\'s read-back differs from the card data: {fields}',
    remedyZh: '收款机已进入税控状态但数据不符：请勿开票，保存服务记录并联系厂家和税务机关。',
    remedyEn: 'The register is in fiscal mode with wrong data: issue no invoices, keep the record and contact the maker and the tax office.',
  },

  // ---- Registration changes (CHANGE_), deregistration (DEREG_), invoice rolls (ROLL_): engineer G2 ----
  // src/services/changes, src/services/deregister, src/services/rolls. PIN refusals carry `triesLeft`.
  CHANGE_REGISTER_NOT_INITIALIZED: {
    http: 409, exit: ExitCode.refused,
    zh: '收款机尚未税控初始化，不能办理变更', en: 'The register is not fiscally initialized: there is nothing to change',
    remedyZh: '请先完成税控初始化。', remedyEn: 'Run the fiscal initialization first.',
  },
  CHANGE_TAXPAYER_ID_CHANGE: {
    http: 409, exit: ExitCode.refused,
    zh: '纳税人识别号不能变更（{current} → {requested}）', en: 'The taxpayer identification number cannot be changed ({current} → {requested})',
    remedyZh: '更换纳税人识别号须先注销这台收款机（fiscalctl deregister），再用新的税控卡和用户卡重新初始化。',
    remedyEn: 'A new taxpayer identification number means deregistering this register (fiscalctl deregister), then initializing it again with the new cards.',
  },
  CHANGE_USER_CARD_UNUSABLE: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡槽中的卡不能用于此变更：{reason}', en: 'The card in the user-card slot cannot be used for this change: {reason}',
    remedyZh: '请把这位纳税人的用户卡插入收款机的用户卡槽后重试。', remedyEn: 'Put this taxpayer\'s user card in the register\'s user-card slot and try again.',
  },
  CHANGE_NOT_DECLARED: {
    http: 409, exit: ExitCode.refused,
    zh: '收款机没有等待监控数据更新的申报（未设置已申报标志）', en: 'The register has no declaration awaiting a control update (the declared flag is not set)',
    remedyZh: '监控数据更新只在申报之后进行：请先在收款机上完成申报，到税务机关完税后再更新。',
    remedyEn: 'A control update follows a declaration: declare on the register, pay at the tax office, then update.',
  },
  CHANGE_DECLARATION_ON_USER_CARD: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡上仍有税控卡 {fiscalCardNumber} 截至 {periodEnd} 的申报数据，税务机关尚未读取', en: 'The user card still holds fiscal card {fiscalCardNumber}\'s declaration up to {periodEnd}, not yet taken by the tax office',
    remedyZh: '请纳税人持用户卡到税务机关完成申报和完税（税务机关读取申报并写入新的监控数据），然后再更新。',
    remedyEn: 'The taxpayer takes the user card to the tax office to finish the declaration and pay (the office takes it and writes new control data), then update again.',
  },
  CHANGE_NO_CONTROL_RECORD: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡上没有税控卡 {fiscalCardNumber} 的监控数据', en: 'The user card holds no control data for fiscal card {fiscalCardNumber}',
    remedyZh: '请到税务机关为这张税控卡写入监控数据。', remedyEn: 'Have the tax office write the control data for this fiscal card.',
  },
  CHANGE_CONTROL_UPDATE_UNSUPPORTED: {
    http: 409, exit: ExitCode.refused,
    zh: '这台收款机不支持通过串口执行监控数据回写（GB link 40）', en: 'This register does not perform the control write-back over GB link (command 40)',
    remedyZh: '请在收款机键盘上执行“监控数据回写”（插入用户卡），然后用 fiscalctl info 核对新的开票截止日期。',
    remedyEn: 'Run the control write-back (监控数据回写) from the register\'s keyboard with the user card inserted, then check the new issue deadline with fiscalctl info.',
  },
  CHANGE_PIN_LAST_TRY: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡口令只剩 {triesLeft} 次机会，收款机校验口令会用掉它', en: 'The fiscal card has {triesLeft} PIN try left and the register\'s PIN check would spend it',
    remedyZh: '请先联系税务机关核实；确认无误后加 --allow-last-pin-try 运行 fiscalctl change（API：allowLastPinTry）。',
    remedyEn: 'Check with the tax office first; once sure, run fiscalctl change with --allow-last-pin-try (API: allowLastPinTry).',
  },
  CHANGE_STEP_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '变更在“{step}”步骤失败（{cause}）', en: 'The change failed at step "{step}" ({cause})',
    remedyZh: '按错误中“已更改/未更改”的说明处理；应答丢失时先用 fiscalctl info 核对收款机，再决定是否重做。',
    remedyEn: 'Act on the changed / not changed statement; after a lost reply check the register with fiscalctl info before running the change again.',
  },
  CHANGE_READBACK_MISMATCH: {
    http: 502, exit: ExitCode.failed,
    zh: '变更后回读的数据与请求不一致：{fields}', en: 'The read-back after the change differs from the request: {fields}',
    remedyZh: '请勿开票；保存服务记录并联系厂家。', remedyEn: 'Issue no invoices; keep the service record and contact the maker.',
  },
  DEREG_REGISTER_NOT_INITIALIZED: {
    http: 409, exit: ExitCode.refused,
    zh: '收款机尚未税控初始化，无需注销', en: 'The register is not fiscally initialized: there is nothing to deregister',
  },
  DEREG_ALREADY_DONE: {
    http: 409, exit: ExitCode.refused,
    zh: '这台收款机已于 {at} 注销（服务记录 {recordId}）', en: 'This register was already deregistered on {at} (service record {recordId})',
    remedyZh: '无需再次注销；需要注销服务记录时用 fiscalctl records --device <设备> 查看或导出。', remedyEn: 'It needs no second deregistration; to see or export its service record use fiscalctl records --device <device>.',
  },
  DEREG_UNDECLARED_PERIOD: {
    http: 409, exit: ExitCode.refused,
    zh: '还有未申报的期间：最后申报截至 {lastDeclarationEnd}，之后已有 {since} 的数据', en: 'An undeclared period remains: the last declaration ends {lastDeclarationEnd}, data exists from {since}',
    remedyZh: '注销前请先在收款机上完成申报；如税务机关同意直接注销，加 --allow-undeclared 运行 fiscalctl deregister（API：allowUndeclared）。',
    remedyEn: 'Declare on the register before deregistering; if the tax office agrees to deregister as is, run fiscalctl deregister with --allow-undeclared (API: allowUndeclared).',
  },
  DEREG_STEP_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '注销在“{step}”步骤失败（{cause}）', en: 'Deregistration failed at step "{step}" ({cause})',
    remedyZh: '收款机的税控数据未被更改；处理原因后重新注销。', remedyEn: 'No fiscal data of the register was changed; deal with the cause and deregister again.',
  },
  ROLL_REGISTER_NOT_INITIALIZED: {
    http: 409, exit: ExitCode.refused,
    zh: '收款机尚未税控初始化，不能分发发票', en: 'The register is not fiscally initialized: invoice rolls cannot be distributed to it',
    remedyZh: '请先完成税控初始化。', remedyEn: 'Run the fiscal initialization first.',
  },
  CHANGE_REGISTER_DEREGISTERED: {
    http: 409, exit: ExitCode.refused,
    zh: '这台收款机已于 {at} 注销，不能再做税控装置变更', en: 'This register was deregistered on {at}: no registration change can be made to it',
    remedyZh: '注销后的收款机需重新进行税控初始化才能使用；如注销有误，请持注销服务记录联系税务机关。',
    remedyEn: 'A deregistered register must be initialized again before use; if the deregistration was a mistake, take its service record to the tax office.',
  },
  ROLL_REGISTER_DEREGISTERED: {
    http: 409, exit: ExitCode.refused,
    zh: '这台收款机已于 {at} 注销，不能再分发发票', en: 'This register was deregistered on {at}: no invoice roll can be distributed to it',
    remedyZh: '注销后的收款机不再开票；如注销有误，请持注销服务记录联系税务机关。', remedyEn: 'A deregistered register issues no more invoices; if the deregistration was a mistake, take its service record to the tax office.',
  },
  ROLL_USER_CARD_UNUSABLE: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡槽中的卡不能用于分发发票：{reason}', en: 'The card in the user-card slot cannot give this register a roll: {reason}',
    remedyZh: '请把这位纳税人的、登记了这台收款机的用户卡插入用户卡槽后重试。', remedyEn: 'Put this taxpayer\'s user card, the one that lists this register, in the user-card slot and try again.',
  },
  ROLL_NONE_LEFT: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡上已没有可分发的发票卷', en: 'No roll left to distribute: the user card holds no more invoice rolls',
    remedyZh: '请纳税人到税务机关购买发票（写入用户卡）后再分发。', remedyEn: 'The taxpayer buys invoices at the tax office (they are written to the user card), then distribute again.',
  },
  ROLL_ORPHANED: {
    http: 409, exit: ExitCode.refused,
    zh: '用户卡已分发发票卷 {invoiceCode} {start}–{end}，但收款机没有收到它', en: 'The user card handed out roll {invoiceCode} {start}–{end}, but the register never stored it',
    remedyZh: '不要再分发（会再用掉一卷）；请保存服务记录，持用户卡到税务机关或联系厂家处理这卷发票。',
    remedyEn: 'Do not distribute again (that would take another roll); keep the service record and take the user card to the tax office or the maker about this roll.',
  },
  ROLL_PIN_LAST_TRY: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡口令只剩 {triesLeft} 次机会，收款机校验口令会用掉它', en: 'The fiscal card has {triesLeft} PIN try left and the register\'s PIN check would spend it',
    remedyZh: '请先联系税务机关核实；确认无误后加 --allow-last-pin-try 运行 fiscalctl roll（API：allowLastPinTry）。',
    remedyEn: 'Check with the tax office first; once sure, run fiscalctl roll with --allow-last-pin-try (API: allowLastPinTry).',
  },
  ROLL_STEP_FAILED: {
    http: 502, exit: ExitCode.failed,
    zh: '发票分发在“{step}”步骤失败（{cause}）', en: 'Roll distribution failed at step "{step}" ({cause})',
    remedyZh: '按错误中“已更改/未更改”的说明处理后再运行 fiscalctl roll：收款机里已分发但未写入税控卡的发票卷会先写入；用户卡交出却下落不明的发票卷会被拒绝，不会再分发一卷。',
    remedyEn: 'Act on the changed / not changed statement, then run fiscalctl roll again: a roll the register holds but has not mounted is mounted first; a roll the user card gave out that cannot be found is refused, never replaced by another.',
  },
  ROLL_READBACK_MISMATCH: {
    http: 502, exit: ExitCode.failed,
    zh: '发票卷写入后回读不一致：{fields}', en: 'The read-back after mounting the roll differs: {fields}',
    remedyZh: '请勿开票；保存服务记录并联系厂家。', remedyEn: 'Issue no invoices; keep the service record and contact the maker.',
  },
} as const satisfies ErrorTable;
