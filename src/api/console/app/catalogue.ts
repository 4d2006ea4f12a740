/**
 * Every word the console shows, zh-CN and en side by side: one catalogue, so a missing translation is a type error.
 * The CLI keeps its own in src/cli (another room); the API's messages come with both languages already.
 */
export type Language = 'zh-CN' | 'en';

const texts = {
  title: ['税控网关控制台', 'Fiscal gateway console'],
  switchLanguage: ['English', '中文'],
  operator: ['操作员', 'Operator'],
  operatorPlaceholder: ['姓名', 'name'],
  logout: ['退出', 'Log out'],
  loginTitle: ['登录控制台', 'Log in to the console'],
  loginHow: ['在本机终端运行 fiscalctl console，它会打开一个一次性登录链接。也可以粘贴数据目录中的令牌。', 'Run fiscalctl console in a terminal on this PC: it opens a one-time login link. Or paste the token from the data directory.'],
  loginExpired: ['登录链接已失效或已使用，请重新运行 fiscalctl console。', 'The login link expired or was used; run fiscalctl console again.'],
  tokenPlaceholder: ['令牌', 'token'],
  connect: ['连接', 'Connect'],
  tokenRefused: ['令牌无效。', 'The token was refused.'],
  devices: ['收款机', 'Registers'],
  readers: ['读卡器', 'Card readers'],
  jobs: ['任务', 'Jobs'],
  records: ['服务记录', 'Service records'],
  back: ['返回列表', 'Back to the list'],
  machineNumber: ['机器编号', 'Machine no.'],
  state: ['状态', 'State'],
  fiscalState: ['税控状态', 'Fiscal state'],
  model: ['型号', 'Model'],
  firmware: ['固件', 'Firmware'],
  bootloader: ['引导程序', 'Bootloader'],
  hardware: ['硬件版本', 'Hardware'],
  port: ['连接', 'Port'],
  busyWith: ['占用任务', 'Busy with'],
  taxpayer: ['纳税人', 'Taxpayer'],
  issueDeadline: ['开票截止日期', 'Issue deadline'],
  lastDiagnosis: ['上次诊断', 'Last diagnosis'],
  lastBackup: ['上次备份', 'Last backup'],
  cards: ['卡', 'Cards'],
  simulated: ['模拟设备', 'simulated'],
  none: ['无', 'none'],
  open: ['打开', 'Open'],
  identity: ['设备信息', 'Identity'],
  operations: ['操作', 'Operations'],
  backups: ['备份', 'Backups'],
  diagnose: ['诊断', 'Diagnose'],
  backup: ['备份', 'Back up'],
  initialize: ['初始化', 'Initialize'],
  roll: ['分发发票卷', 'Distribute a roll'],
  change: ['变更登记', 'Change registration'],
  deregister: ['注销', 'Deregister'],
  restore: ['恢复', 'Restore'],
  verify: ['校验', 'Verify'],
  exportBackup: ['导出到U盘', 'Export to stick'],
  download: ['下载', 'Download'],
  cancel: ['取消任务', 'Cancel job'],
  confirm: ['确认执行', 'Confirm'],
  close: ['关闭', 'Close'],
  dryRunTitle: ['初始化预检', 'Initialization dry run'],
  dryRunPassed: ['全部检查通过，可以确认执行。', 'Every check passed; you may confirm.'],
  dryRunFailed: ['检查未通过，不能初始化。', 'A check failed; initialization cannot start.'],
  expected: ['应为', 'expected'],
  actual: ['实际', 'actual'],
  passed: ['通过', 'passed'],
  failed: ['未通过', 'failed'],
  skipped: ['跳过', 'skipped'],
  whyBusy: ['设备正忙：正在执行任务 {job}', 'The device is busy with job {job}'],
  whyOffline: ['设备不在线', 'The device is not online'],
  whyBootloader: ['设备处于引导模式', 'The device is in its bootloader'],
  whyNotNew: ['只有新机可以初始化', 'Only a new register can be initialized'],
  whyNotInitialized: ['设备尚未初始化', 'The register is not initialized'],
  whyDeregistered: ['设备已注销', 'The register is deregistered'],
  whyNoBackup: ['先选择一个备份', 'Choose a backup first'],
  confirmDeregister: ['注销不可撤销。确认注销机器 {id}？', 'Deregistration cannot be undone. Deregister {id}?'],
  confirmRoll: ['从用户卡向机器 {id} 分发一卷发票？', 'Distribute one invoice roll from the user card to {id}?'],
  confirmRestore: ['把备份 {backup} 恢复到机器 {id}？先显示计划。', 'Restore backup {backup} to {id}? The plan is shown first.'],
  confirmChange: ['变更登记：{diff}。确认？', 'Registration change: {diff}. Confirm?'],
  changeField: ['字段', 'Field'],
  changeValue: ['新值', 'New value'],
  changeDiff: ['{field}由“{before}”改为“{after}”', '{field} from "{before}" to "{after}"'],
  changeSet: ['{field}登记为“{after}”', '{field} recorded as "{after}"'],
  taxpayerName: ['纳税人名称', 'Taxpayer name'],
  address: ['地址', 'Address'],
  phone: ['电话', 'Phone'],
  contact: ['联系人', 'Contact'],
  progress: ['进度', 'Progress'],
  eta: ['剩余约 {s} 秒', 'about {s} s left'],
  waiting: ['等待中：{reason}', 'Waiting: {reason}'],
  stage: ['步骤', 'Stage'],
  result: ['结果', 'Result'],
  kind: ['类型', 'Kind'],
  time: ['时间', 'Time'],
  device: ['设备', 'Device'],
  error: ['错误', 'Error'],
  recordId: ['记录号', 'Record'],
  errorCode: ['错误代码', 'Error code'],
  job: ['任务', 'Job'],
  report: ['诊断报告', 'Diagnostic report'],
  remedy: ['处理办法', 'Remedy'],
  impact: ['影响', 'Impact'],
  who: ['由谁处理', 'Who acts'],
  findings: ['发现', 'Findings'],
  allChecks: ['全部 {n} 项检查', 'All {n} checks'],
  printableRecord: ['注销记录（可打印）', 'Deregistration record (printable)'],
  print: ['打印', 'Print'],
  since: ['起始日期', 'From'],
  until: ['截止日期', 'To'],
  filter: ['筛选', 'Filter'],
  exportCsv: ['导出 CSV', 'Export CSV'],
  noRecords: ['没有记录。', 'No records.'],
  noBackups: ['没有备份。', 'No backups.'],
  noJobs: ['没有任务。', 'No jobs.'],
  created: ['创建时间', 'Created'],
  size: ['大小', 'Size'],
  verified: ['校验结果', 'Verification'],
  verifyOk: ['校验通过', 'verified'],
  verifyBad: ['校验失败', 'verification failed'],
  exported: ['已导出到 {path}', 'Exported to {path}'],
  operatorRequired: ['请先填写操作员姓名。', 'Enter the operator name first.'],
  started: ['已开始任务 {job}', 'Started job {job}'],
  lostConnection: ['与网关的连接中断。', 'Lost the connection to the gateway.'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
  present: ['有卡', 'present'],
  absent: ['无卡', 'absent'],
  unknown: ['未知', 'unknown'],
  restorePlan: ['恢复计划', 'Restore plan'],
  rollDone: ['发票卷已分发', 'The roll was distributed'],
  backupDone: ['备份完成并已校验：{id}', 'Backup made and verified: {id}'],
  problemCount: ['发现问题 {n} 项', '{n} problems found'],
  rollRange: ['发票代码 {code}，号码 {start} 至 {end}（共 {n} 份）', 'Invoice code {code}, numbers {start} to {end} ({n} invoices)'],
  rollsLeft: ['用户卡剩余发票卷 {n} 卷', '{n} rolls left on the user card'],
  nothingChanged: ['没有任何字段改变', 'No field changed'],
  restorePlanned: ['恢复计划：从机器 {from} 到机器 {to}，共 {n} 步（未写入）', 'Restore plan: from {from} to {to}, {n} steps (nothing written)'],
  restoreApplied: ['已恢复：从机器 {from} 到机器 {to}，共 {n} 步', 'Restored from {from} to {to}: {n} steps'],
  notRestored: ['备份中有 {n} 项不予恢复（依法只能由税务机关处理）', '{n} items of the backup are not restored'],
  backupId: ['被更换机器的备份编号', 'Backup id of the machine replaced'],
  showPlan: ['显示恢复计划', 'Show the plan'],
  restoreHow: ['先显示计划，不写入任何数据；确认后才写入。', 'The plan is shown first and nothing is written; writing needs your confirmation.'],
  confirmRestoreRun: ['确认按计划恢复', 'Restore as planned'],
  otherField: ['其他字段', 'Other field'],
  taxpayerIdField: ['纳税人识别号', 'Taxpayer id'],
  legalRepresentative: ['法定代表人', 'Legal representative'],
  location: ['安装地点', 'Location'],
  installer: ['安装单位', 'Installer'],
  declarationMode: ['申报方式', 'Declaration mode'],
  cardsInSlots: ['卡槽', 'Card slots'],
  packages: ['固件升级包', 'Firmware packages'],
  version: ['版本', 'Version'],
  installsFrom: ['可升级自', 'Installs from'],
  fromVersion: ['固件 {version} 及以上，引导程序 {boot} 及以上', 'firmware {version} or later, bootloader {boot} or later'],
  paths: ['升级方式', 'Paths'],
  received: ['接收时间', 'Received'],
  signedBy: ['签名密钥', 'Signed by'],
  delete: ['删除', 'Delete'],
  confirmDelete: ['删除升级包 {version}？', 'Delete package {version}?'],
  noPackages: ['没有升级包。', 'No packages.'],
  uploadPackage: ['上传升级包', 'Upload a package'],
  upload: ['上传并校验', 'Upload and verify'],
  packageKept: ['升级包 {version} 已通过校验并保存', 'Package {version} verified and kept'],
  upgradeLater: ['升级包在上传时按可信密钥校验。要安装，打开收款机页面，选“固件升级”。', 'Packages are verified against the trusted keys on upload. To install one, open a register\'s page and choose Upgrade firmware.'],
  upgrade: ['固件升级', 'Upgrade firmware'],
  upgradeTitle: ['固件升级：先看校验和版本规则，再开始', 'Firmware upgrade: verification and version rule first, then start'],
  choosePackage: ['升级包', 'Package'],
  packageOption: ['{version}（{models}）', '{version} ({models})'],
  uploadHere: ['或上传新的升级包', 'or upload a new package'],
  upgradePath: ['升级方式', 'Path'],
  reinstallOption: ['重新安装同一版本', 'Install the same version again'],
  downgradeOption: ['允许降级（会被记录）', 'Allow a downgrade (recorded)'],
  packageVerification: ['升级包校验', 'Package verification'],
  packageVerifiedBy: ['上传时已按可信密钥 {key} 校验签名和摘要；开始时网关会再校验一次', 'Signature and digests verified on upload against trusted key {key}; the gateway verifies them again when it starts'],
  vendor: ['厂商', 'Vendor'],
  notStated: ['未注明', 'not stated'],
  digest: ['摘要', 'Digest'],
  registerNow: ['收款机当前', 'The register now'],
  versionsNow: ['型号 {model}，固件 {firmware}，引导程序 {boot}', 'model {model}, firmware {firmware}, bootloader {boot}'],
  versionRule: ['版本规则', 'Version rule'],
  ruleAllowedUpgrade: ['允许升级：{from} → {to}', 'Allowed, an upgrade: {from} → {to}'],
  ruleAllowedReinstall: ['允许重新安装版本 {to}', 'Allowed, a reinstall of {to}'],
  ruleAllowedDowngrade: ['允许降级：{from} → {to}（会被记录）', 'Allowed, a downgrade: {from} → {to} (recorded)'],
  ruleUnknown: ['收款机尚未报告其型号和版本，开始时由网关判断', 'The register has not reported its model and versions; the gateway decides when it starts'],
  ruleModel: ['不允许：升级包不适用于型号 {model}', 'Refused: the package is not for model {model}'],
  rulePath: ['不允许：升级包不允许经{path}升级', 'Refused: the package may not be installed by {path}'],
  ruleBootloader: ['不允许：引导程序 {boot} 低于升级包要求的 {lowest}', 'Refused: bootloader {boot} is older than the {lowest} the package needs'],
  ruleLowest: ['不允许：固件 {from} 低于可直接升级到 {to} 的最低版本 {lowest}', 'Refused: firmware {from} is below {lowest}, the oldest that can go straight to {to}'],
  ruleSame: ['不允许：收款机已运行版本 {to}（要重新安装请勾选“重新安装同一版本”）', 'Refused: the register already runs {to} (tick “Install the same version again” to reinstall)'],
  ruleOlder: ['不允许：{to} 比当前版本 {from} 旧（要降级请勾选“允许降级”）', 'Refused: {to} is older than the {from} it runs (tick “Allow a downgrade” to go back)'],
  upgradeSteps: ['步骤', 'Steps'],
  stepBackup: ['做一份校验过的备份（已有且仍为最新的则直接使用）', 'Make a verified backup (or use a current one)'],
  stepWriteSerial: ['经串口写入固件（断线后从收款机报告的位置继续），核对收款机算出的摘要', 'Write the image over the serial line (resumed from the register\'s offset after a cut) and compare the register\'s digest'],
  stepWriteOther: ['经{path}写入固件：需要技术员动手时（插入、取出、重启），任务行会显示要做的事，做完后任务自动继续', 'Write the image by {path}: when the technician must act (insert, remove, restart), the job\'s row says what to do and the job goes on once it is done'],
  stepStickCopy: ['把升级包复制到插在网关上的U盘并回读校验', 'Copy the package onto the USB stick in the gateway and read it back'],
  stepStickHandOver: ['任务提示时，取下U盘插到收款机上，在收款机上确认升级；网关等待收款机以新版本回来', 'When the job says so, take the stick to the register and confirm the upgrade there; the gateway waits for the register to come back on the new version'],
  stepCardWrite: ['按任务提示在读卡器中逐张插入空白升级卡；每张写入后回读核对，取出时在卡上标明第几张', 'As the job asks, insert blank upgrade cards into the reader one by one; each is written and read back; mark each with its number when you take it out'],
  stepCardHandOver: ['任务提示时，把升级卡逐张插入收款机；收款机安装后重新启动，网关等待它以新版本回来', 'When the job says so, insert the upgrade cards into the register one by one; it installs and restarts, and the gateway waits for it on the new version'],
  stepTrial: ['试运行新固件；版本、摘要和自检都一致才确认，否则收款机自动退回旧版本', 'Boot it on trial; confirmed only when version, digest and self-checks agree, else the register goes back to its old image'],
  startUpgrade: ['开始升级', 'Start the upgrade'],
  confirmUpgrade: ['为收款机 {id} 安装固件 {version}（{path}）？会先做一份校验过的备份。', 'Install firmware {version} on {id} ({path})? A verified backup is made first.'],
  noPackageChosen: ['先选择或上传一个升级包', 'Choose or upload a package first'],
  upgradeDone: ['{kind}完成：{from} → {to}，已核对版本、摘要和自检并确认', '{kind} done: {from} → {to}, version, digest and self-checks verified and confirmed'],
  upgradeBackup: ['升级前备份：{id}', 'Backup before the upgrade: {id}'],
  readCard: ['读卡', 'Read card'],
  noCard: ['没有卡', 'No card'],
  cardKind: ['卡类型', 'Card kind'],
  cardNumber: ['卡号', 'Card number'],
  holder: ['持卡人', 'Holder'],
  validUntil: ['有效期至', 'Valid until'],
  registration: ['注册状态', 'Registration'],
  pinTries: ['口令剩余次数', 'PIN tries left'],
  allKinds: ['全部类型', 'All kinds'],
  certificates: ['证明', 'Certificates'],
  faultCertificate: ['税控收款机故障证明', 'Fault certificate'],
  notInitializedCertificate: ['未初始化证明', 'Not-initialized certificate'],
  slotCard: ['{slot}：{card}', '{slot}: {card}'],
  fiscalSlot: ['税控卡', 'fiscal card'],
  userSlot: ['用户卡', 'user card'],
} as const satisfies Record<string, readonly [string, string]>;

export type TextKey = keyof typeof texts;

/** Names of values the API sends as codes: states, kinds, stages. An unknown code shows as `unknownValue` in zh. */
const values: Record<string, readonly [string, string]> = {
  'state.online': ['在线', 'online'], 'state.offline': ['离线', 'offline'], 'state.identifying': ['识别中', 'identifying'],
  'state.maintenance': ['维护中', 'maintenance'], 'state.bootloader': ['引导模式', 'bootloader'],
  'fiscal.new': ['新机（未初始化）', 'new (not initialized)'], 'fiscal.initialized': ['已初始化', 'initialized'],
  'fiscal.deregistered': ['已注销', 'deregistered'], 'fiscal.unknown': ['未知', 'unknown'],
  'job.running': ['执行中', 'running'], 'job.waiting': ['等待中', 'waiting'], 'job.succeeded': ['成功', 'succeeded'],
  'job.failed': ['失败', 'failed'], 'job.cancelled': ['已取消', 'cancelled'],
  'kind.diagnostics': ['诊断', 'diagnostics'], 'kind.backup': ['备份', 'backup'], 'kind.initialize': ['初始化', 'initialization'],
  'kind.initialization': ['初始化', 'initialization'], 'kind.registration-change': ['变更登记', 'registration change'],
  'kind.roll': ['分发发票卷', 'roll distribution'], 'kind.deregister': ['注销', 'deregistration'],
  'kind.deregistration': ['注销', 'deregistration'], 'kind.restore': ['恢复', 'restore'], 'kind.upgrade': ['固件升级', 'firmware upgrade'],
  'kind.read-card': ['读卡', 'card read'], 'kind.verify': ['校验备份', 'backup verification'], 'kind.export': ['导出备份', 'backup export'],
  'stage.apply': ['写入', 'apply'], 'stage.authenticate': ['认证', 'authenticate'], 'stage.backup': ['备份', 'backup'],
  'stage.check': ['检查', 'check'], 'stage.distribute': ['分发', 'distribute'], 'stage.final-state': ['读取最终状态', 'final state'],
  'stage.inspect': ['查看', 'inspect'], 'stage.judging': ['判断', 'judging'], 'stage.mount': ['装载', 'mount'],
  'stage.plan': ['计划', 'plan'], 'stage.read': ['读取', 'read'], 'stage.reading': ['读取', 'reading'],
  'stage.recheck': ['复核', 'recheck'], 'stage.record': ['记录', 'record'], 'stage.retire': ['停用', 'retire'],
  'stage.verify': ['校验', 'verify'], 'stage.write': ['写入', 'write'],
  'stage.prepare': ['准备', 'prepare'], 'stage.detach': ['进入升级模式', 'detach'], 'stage.attach': ['重新连接', 'attach'],
  'stage.reload': ['重新识别', 'reload'],
  'install.upgrade': ['升级', 'Upgrade'], 'install.reinstall': ['重新安装', 'Reinstall'], 'install.downgrade': ['降级', 'Downgrade'],
  'status.ok': ['正常', 'ok'], 'status.warning': ['警告', 'warning'], 'status.fault': ['故障', 'fault'], 'status.not-run': ['未执行', 'not run'],
  'verdict.ok': ['正常', 'ok'], 'verdict.attention': ['需注意', 'attention'], 'verdict.fault': ['故障', 'fault'],
  'card.present': ['有卡', 'present'], 'card.absent': ['无卡', 'absent'], 'card.unknown': ['未知', 'unknown'], 'card.mute': ['无应答', 'mute'],
  'who.technician': ['技术员', 'technician'], 'who.taxpayer': ['纳税人', 'taxpayer'], 'who.tax-office': ['税务机关', 'tax office'],
  'who.vendor': ['厂商', 'vendor'], 'who.operator': ['操作员', 'operator'],
  'path.serial': ['串口', 'serial line'], 'path.usb-stick': ['U盘', 'USB stick'], 'path.ic-card': ['IC卡', 'IC card'],
  'cardKind.fiscal': ['税控卡', 'fiscal card'], 'cardKind.user': ['用户卡', 'user card'], 'cardKind.inspection': ['稽查卡', 'inspection card'],
  'cardKind.unknown': ['未知卡', 'unknown card'],
  'registration.registered': ['已注册', 'registered'], 'registration.not-registered': ['未注册', 'not registered'],
  'registration.uncertain': ['不确定', 'uncertain'],
};

/** Every zh-CN and en text of the catalogue (for the test that no English shows in Chinese). */
export function catalogueTexts(): { key: string; zh: string; en: string }[] {
  return [...Object.entries(texts), ...Object.entries(values)].map(([key, [zh, en]]) => ({ key, zh, en }));
}

let language: Language = 'zh-CN';

export function setLanguage(next: Language): void {
  language = next;
}

export function currentLanguage(): Language {
  return language;
}

export function t(key: TextKey, params: Record<string, string | number> = {}): string {
  const pair = texts[key];
  const text = language === 'zh-CN' ? pair[0] : pair[1];
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? ''));
}

/** The name of a code the API sent (`group.code`); in zh an unknown code never shows its English: "未知（…）" says so. */
export function named(group: string, code: string | null | undefined): string {
  if (code === null || code === undefined) return t('none');
  const pair = values[`${group}.${code}`];
  if (pair) return language === 'zh-CN' ? pair[0] : pair[1];
  return language === 'zh-CN' ? '其他' : code;
}

/** A message the API gives in both languages (`{ 'zh-CN', en }`, or the diagnostics' `{ zh, en }`). */
export function localized(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message && typeof message === 'object') {
    const m = message as Record<string, unknown>;
    const text = language === 'zh-CN' ? (m['zh-CN'] ?? m.zh) : m.en;
    if (typeof text === 'string') return text;
  }
  return '';
}

/** Yuan from fen, always in yuan (the API counts money in fen). */
export function yuan(fen: number): string {
  const text = (fen / 100).toFixed(2);
  return language === 'zh-CN' ? `${text} 元` : `CNY ${text}`;
}

/** Local time in the register's zone (UTC+8 unless the API says otherwise), never UTC's Z. */
export function localTime(iso: string | null | undefined, utcOffsetMinutes = 480): string {
  if (!iso) return t('none');
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const shifted = new Date(at.getTime() + utcOffsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())} ${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`;
}
