import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import type { UpgradePath } from '../../../protocols/fwpkg/manifest.js';
import type { CliContext } from '../CliContext.js';
import { cliText } from '../cliText.js';
import { confirmChange, printPlan } from '../confirm.js';
import { readNamedFile } from './packageFiles.js';
import { parseDeviceList, runUpgradeBatch } from './upgradeBatch.js';

const DEFAULT_CONCURRENCY = 4;
const pathWords = { serial: { 'zh-CN': '串口', en: 'serial line' }, 'usb-stick': { 'zh-CN': 'U 盘', en: 'USB stick' }, 'ic-card': { 'zh-CN': 'IC 卡', en: 'IC card' } } as const;

/** `fiscalctl upgrade --devices FILE --package ID|FILE [--path P] [--concurrency N] [--json]`: the batch of issue 11 item 9. */
export async function upgradeBatchCommand(
  ctx: CliContext, file: string, given: string, path: UpgradePath, packageId: (value: string) => Promise<string>,
): Promise<ExitCode> {
  const devices = parseDeviceList((await readNamedFile(file, '--devices')).toString('utf8'));
  const raw = ctx.options.concurrency;
  const concurrency = raw === undefined ? DEFAULT_CONCURRENCY : Number(raw);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new GatewayError('CLI_USAGE', { params: { detail: cliText(ctx.language, 'wholeNumber', { option: '--concurrency', value: String(raw) }) } });
  }
  const plan = [
    cliText(ctx.language, 'batchPlan', { count: devices.length, package: given, path: pathWords[path][ctx.language], concurrency }),
    devices.join(', '),
  ];
  if (ctx.options['dry-run'] === true) {
    printPlan(ctx, plan);
    return ExitCode.ok;
  }
  if (!(await confirmChange(ctx, plan))) return ExitCode.failed;
  return runUpgradeBatch(ctx, {
    devices, packageId: await packageId(given), path, concurrency,
    allowDowngrade: ctx.options['allow-downgrade'] === true, reinstall: ctx.options.reinstall === true,
  });
}
