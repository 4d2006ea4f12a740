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
    remedyZh: '已注册的税控卡只能由税务机关处理；如是本网关中断的初始化，请在同一台网关上重新运行初始化以继续。',
    remedyEn: 'A registered fiscal card can only be dealt with by the tax office; if this gateway\'s own initialization was interrupted, run it again on the same gateway to resume.',
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
    zh: '用户卡未登记机器 {machineNumber} 与税控卡 {fiscalCardNumber}', en: 'The user card does not list machine {machineNumber} with fiscal card {fiscalCardNumber}',
    remedyZh: '请到税务机关在用户卡上登记这台收款机和税控卡。', remedyEn: 'Have the tax office add this register and fiscal card to the user card.',
  },
  INIT_CARD_NOT_YET_VALID: {
    http: 409, exit: ExitCode.refused,
    zh: '{card}的启用日期 {start} 晚于今天 {today}', en: 'The {card} becomes valid on {start}, after today {today}',
    remedyZh: '请在启用日期之后再初始化，或先核对收款机和电脑的日期。', remedyEn: 'Initialize on or after that date, or first check the register\'s and the PC\'s date.',
  },
  INIT_CARD_EXPIRED: {
    http: 409, exit: ExitCode.refused,
    zh: '{card}已于 {validUntil} 过期（今天 {today}）', en: 'The {card} expired on {validUntil} (today is {today})',
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
    zh: '用户卡上没有可用的税种税目（税控卡索引 {missing} 未找到）', en: 'The user card holds no usable tax items (fiscal card index {missing} not found)',
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
    remedyZh: '无需再次初始化；如需更改登记信息请使用变更功能。', remedyEn: 'It needs no second initialization; use a registration change to alter its data.',
  },
  INIT_FISCAL_SLOT_EMPTY: {
    http: 409, exit: ExitCode.refused,
    zh: '收款机的税控卡槽中没有卡（收款机写入初始化数据时要校验它）', en: 'The register\'s fiscal-card slot is empty (the register checks the card when it writes the initialization)',
    remedyZh: '请把税控卡插入收款机的税控卡槽后重试。', remedyEn: 'Put the fiscal card in the register\'s fiscal-card slot and try again.',
  },
  INIT_CLOCK_OFF: {
    http: 409, exit: ExitCode.refused,
    zh: '收款机时钟 {registerTime} 与电脑时间 {hostTime} 相差 {offset} 秒，超过允许的 {tolerance} 秒', en: 'The register clock {registerTime} is {offset} s away from the PC\'s {hostTime}, more than the {tolerance} s allowed',
    remedyZh: '请先校准收款机时钟（初始化前可直接设置），再重试。', remedyEn: 'Set the register clock first (it may be set freely before initialization), then try again.',
  },
  INIT_PIN_LAST_TRY: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡口令只剩 {triesLeft} 次机会，继续初始化会用掉它', en: 'The fiscal card has {triesLeft} PIN try left and resuming the initialization would spend it',
    remedyZh: '请先联系税务机关核实；确认无误后可在请求中注明 allowLastPinTry。', remedyEn: 'Check with the tax office first; once sure, say allowLastPinTry in the request.',
  },
  INIT_PIN_LOCKED: {
    http: 409, exit: ExitCode.refused,
    zh: '税控卡口令已锁定', en: 'The fiscal card PIN is locked',
    remedyZh: '卡片已锁死，须由税务机关解锁或更换。', remedyEn: 'The card is locked: the tax office must unlock or replace it.',
  },
  INIT_CHECKS_FAILED: {
    http: 409, exit: ExitCode.refused,
    zh: '初始化检查未通过（{failed} 项），首项：{first}', en: 'Initialization checks failed ({failed}), first: {first}',
    remedyZh: '请按检查清单逐项处理后重新检查。', remedyEn: 'Deal with each failed check in the list, then check again.',
  },
  INIT_TOKEN_INVALID: {
    http: 409, exit: ExitCode.refused,
    zh: '确认码无效：{reason}', en: 'The confirmation token is not valid: {reason}',
    remedyZh: '请先重新检查（试运行），再用新的确认码执行。', remedyEn: 'Run the checks (dry run) again and use the new token.',
  },
  INIT_FACTS_CHANGED: {
    http: 409, exit: ExitCode.refused,
    zh: '自检查以来卡片或收款机已变化：{fields}', en: 'The cards or the register changed since the checks: {fields}',
    remedyZh: '请重新检查（试运行）后再执行。', remedyEn: 'Run the checks (dry run) again before initializing.',
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
    remedyZh: '收款机已进入税控状态但数据不符：请勿开票，保存记录并联系厂家和税务机关。',
    remedyEn: 'The register is in fiscal mode with wrong data: issue no invoices, keep the record and contact the maker and the tax office.',
  },
} as const satisfies ErrorTable;
