/**
 * The one catalogue of fiscalctl's own words (usage errors, prompts, labels the commands share), zh-CN and en side
 * by side. Error messages with a code stay in contracts/errors; words a single command owns may stay in it, but
 * whatever two commands say alike comes from here. `{name}` placeholders are filled by `cliText`.
 */
export type Language = 'zh-CN' | 'en';

const text = {
  unknownCommand: { 'zh-CN': '没有“{word}”这个命令', en: 'unknown command "{word}"' },
  noCommand: { 'zh-CN': '没有给出命令', en: 'no command given' },
  badLang: { 'zh-CN': '--lang {value}：请用 zh 或 en', en: '--lang {value}: use zh or en' },
  badUrl: { 'zh-CN': '--url {value} 不是网址', en: '--url {value} is not a URL' },
  usageLine: { 'zh-CN': '应为 fiscalctl {usage}', en: 'expected fiscalctl {usage}' },
  unknownOption: { 'zh-CN': '不认识的选项 {option}', en: 'unknown option {option}' },
  optionNeedsValue: { 'zh-CN': '选项 {option} 需要一个值', en: 'option {option} needs a value' },
  optionTakesNoValue: { 'zh-CN': '选项 {option} 不带值', en: 'option {option} takes no value' },
  extraArgument: { 'zh-CN': '多余的参数 {value}', en: 'unexpected argument {value}' },
  badArguments: { 'zh-CN': '参数有误', en: 'invalid arguments' },
  wholeNumber: { 'zh-CN': '{option} {value}：须为整数', en: '{option} {value}: a whole number' },
  yuanAmount: { 'zh-CN': '{option} {value}：须为以元计的金额，最多两位小数（如 5000 或 5000.50）', en: '{option} {value}: an amount in yuan, at most two decimals (5000 or 5000.50)' },
  optionRequired: { 'zh-CN': '缺少 {option}', en: '{option} is required' },
  oneOf: { 'zh-CN': '{what} {value}：可选 {choices}', en: '{what} {value}: use {choices}' },
  needsYes: {
    'zh-CN': '这一操作会改变收款机，不在终端上运行时须加 --yes 确认（或先用 --dry-run 查看）',
    en: 'this operation changes the register: without a terminal, confirm it with --yes (or look first with --dry-run)',
  },
  confirmPrompt: { 'zh-CN': '确认执行？输入 y 继续，其他任何键取消：', en: 'Go ahead? Type y to continue, anything else to stop: ' },
  notConfirmed: { 'zh-CN': '未确认，什么都没有改变', en: 'Not confirmed: nothing was changed' },
  willDo: { 'zh-CN': '将要执行：', en: 'This will:' },
  jobAmbiguous: { 'zh-CN': '任务编号 {prefix} 对应多个任务：{ids}', en: 'job id {prefix} matches several jobs: {ids}' },
  interruptTty: {
    'zh-CN': '\n任务 {id} 仍在执行。输入 c 取消任务，直接回车则留它继续执行并退出：',
    en: '\nJob {id} is still running. Type c to cancel it, or press Enter to leave it running and quit: ',
  },
  leftRunning: {
    'zh-CN': '任务 {id} 继续在 fiscald 中执行；用 fiscalctl watch {id} 跟踪，fiscalctl cancel {id} 取消',
    en: 'Job {id} goes on in fiscald; follow it with fiscalctl watch {id}, cancel it with fiscalctl cancel {id}',
  },
  cancelAsked: { 'zh-CN': '已请求取消任务 {id}', en: 'Cancellation of job {id} requested' },
  busyWith: { 'zh-CN': '设备正忙：{kind}任务 {id}', en: 'The device is busy: {kind} job {id}' },
  fileMissing: { 'zh-CN': '文件 {file} 不存在', en: 'file {file} does not exist' },
  unknown: { 'zh-CN': '未知', en: 'unknown' },
  batchDevice: { 'zh-CN': '设备', en: 'DEVICE' },
  batchState: { 'zh-CN': '状态', en: 'STATE' },
  batchBefore: { 'zh-CN': '原版本', en: 'BEFORE' },
  batchAfter: { 'zh-CN': '现版本', en: 'AFTER' },
  batchVerified: { 'zh-CN': '已核对', en: 'VERIFIED' },
  batchReverted: { 'zh-CN': '已退回', en: 'REVERTED' },
  batchDuration: { 'zh-CN': '用时', en: 'DURATION' },
  batchError: { 'zh-CN': '错误代码', en: 'ERROR' },
  batchStarted: { 'zh-CN': '收款机 {device}：升级任务 {job} 已开始', en: 'register {device}: upgrade job {job} started' },
  batchEnded: { 'zh-CN': '收款机 {device}：{state}，{before} → {after}，用时 {seconds} 秒{code}', en: 'register {device}: {state}, {before} → {after}, {seconds} s{code}' },
  batchSummary: { 'zh-CN': '共 {total} 台收款机，{verified} 台升级后核对无误', en: '{verified} of {total} registers upgraded and verified' },
  batchPlan: {
    'zh-CN': '为清单中的 {count} 台收款机安装升级包 {package}（{path}），同时最多 {concurrency} 台；每台各为一个升级任务',
    en: 'install package {package} on the {count} registers of the list ({path}), at most {concurrency} at a time; one upgrade job each',
  },
  batchNeedsOne: { 'zh-CN': '给出一个设备编号或 --devices 清单文件，二者取一', en: 'give one device id or --devices FILE, not both' },
  yes: { 'zh-CN': '是', en: 'yes' },
  no: { 'zh-CN': '否', en: 'no' },
} as const satisfies Record<string, Record<Language, string>>;

export type CliTextKey = keyof typeof text;

export function cliText(language: Language, key: CliTextKey, params: Readonly<Record<string, string | number>> = {}): string {
  return text[key][language].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Every entry, for the test that checks both languages are there and the zh ones hold no English word. */
export const cliTextEntries: readonly [string, Readonly<Record<Language, string>>][] = Object.entries(text);

/**
 * The language when --lang does not say: the first of LC_ALL, LC_MESSAGES, LANG that is set decides (zh* is Chinese,
 * anything else English); with none set — a service account or a fresh install at a counter in China — Chinese.
 */
export function languageFromEnv(env: NodeJS.ProcessEnv): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  if (locale === '') return 'zh-CN';
  return /^zh/i.test(locale) ? 'zh-CN' : 'en';
}
