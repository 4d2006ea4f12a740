import { z } from 'zod';
import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import { UPGRADE_PATHS } from '../../../protocols/fwpkg/manifest.js';
import type { CliContext } from '../CliContext.js';
import type { Command, JobResultView } from '../Command.js';
import { confirmChange, printPlan } from '../confirm.js';
import { cliText } from '../cliText.js';
import { runDeviceJob } from '../runDeviceJob.js';
import { upgradeBatchCommand } from './upgradeBatchCommand.js';
import { readNamedFile, requirePackageFile } from './packageFiles.js';
import { sayRepositoryAge } from './packageProvenance.js';

interface UpgradeView { machineNumber: string; packageId: string; kind: 'upgrade' | 'reinstall' | 'downgrade'; before: string; after: string; backupId: string }

const kindZh = { upgrade: '升级', reinstall: '重新安装', downgrade: '降级' } as const;

const upgradeView: JobResultView<UpgradeView> = {
  kind: 'upgrade', resultKey: 'upgrade',
  show: (r, { language }) => (language === 'zh-CN'
    ? `收款机 ${r.machineNumber} ${kindZh[r.kind]}完成：${r.before} → ${r.after}，已核对版本、摘要和自检并确认（备份 ${r.backupId}）\n`
    : `register ${r.machineNumber} ${r.kind} done: ${r.before} → ${r.after}, version, digest and self-checks verified and confirmed (backup ${r.backupId})\n`),
};

const PACKAGE_ID = /^[0-9a-f]{32}$/;
const pathSchema = z.enum(UPGRADE_PATHS);

/** `--package ID|FILE`: a kept package's id as it is, a file uploaded first (fiscald verifies it and answers its id). */
async function packageId(ctx: CliContext, value: string): Promise<string> {
  if (PACKAGE_ID.test(value)) return value;
  await requirePackageFile(value);
  const data = new Uint8Array(await readNamedFile(value, '--package'));
  const { package: stored } = await ctx.client.postBytes<{ package: { id: string } }>('/v1/packages', data);
  return stored.id;
}

export const upgradeCommand: Command = {
  name: 'upgrade', summary: 'Install a firmware package on a register (serial line, USB stick or IC cards; trial boot, automatic revert)',
  usage: 'upgrade ID|--devices FILE --package ID|FILE [--path serial|usb-stick|ic-card] [--concurrency N] [--allow-downgrade] [--reinstall] [--yes] [--dry-run]',
  positionals: [{ name: 'ID', required: false }],
  options: {
    package: { type: 'string' }, path: { type: 'string' }, 'allow-downgrade': { type: 'boolean' }, reinstall: { type: 'boolean' },
    yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, devices: { type: 'string' }, concurrency: { type: 'string' },
  },
  help: 'A verified backup first; the package is verified again by fiscald; the register boots the new image on trial and it is\n'
    + 'confirmed only when version, digest and self-checks agree, else the register goes back to its old image (exit 1, reverted).\n'
    + 'Same version only with --reinstall, older only with --allow-downgrade; refusals exit 3.\n'
    + '--path usb-stick: the package is copied onto a USB stick and read back; the technician moves the stick to the register and\n'
    + 'confirms there; the job waits for the register to come back on the new version.\n'
    + '--path ic-card: the package is written onto blank upgrade cards in a card reader, card by card as the job asks, each read\n'
    + 'back and checked; the technician inserts them one after another into the register, which installs and restarts.\n'
    + '--devices FILE (a CSV, the device id first on each line): one job per register, --concurrency N at a time (default 4), a\n'
    + 'table of before, after, verified, reverted, duration and error code; exit 0 only when every register verified.',
  jobView: upgradeView,
  async run(ctx) {
    const id = ctx.positionals[0];
    const list = ctx.options.devices;
    if ((id === undefined) === (typeof list !== 'string')) throw new GatewayError('CLI_USAGE', { params: { detail: cliText(ctx.language, 'batchNeedsOne') } });
    const given = ctx.options.package;
    if (typeof given !== 'string' || given === '') throw new GatewayError('CLI_USAGE', { params: { detail: '--package ID|FILE' } });
    const path = pathSchema.safeParse(ctx.options.path ?? 'serial');
    if (!path.success) throw new GatewayError('CLI_USAGE', { params: { detail: `--path ${UPGRADE_PATHS.join('|')}` } });
    if (typeof list === 'string') return upgradeBatchCommand(ctx, list, given, path.data, (value) => packageId(ctx, value));
    if (id === undefined) throw new GatewayError('CLI_USAGE', { params: { detail: cliText(ctx.language, 'batchNeedsOne') } });
    const zh = ctx.language === 'zh-CN';
    const plan = zh
      ? [`为收款机 ${id} 安装升级包 ${given}（串口）：`, '1. 校验升级包和版本规则，做一份校验过的备份（已有且仍为最新的则直接使用）',
        '2. 写入固件（断线后从收款机报告的位置继续），核对收款机算出的摘要', '3. 试运行新固件；版本、摘要和自检都一致才确认，否则收款机自动退回旧版本']
      : [`install package ${given} on register ${id} (serial line):`, '1. check the package and the version rules, make a verified backup (or use a current one)',
        '2. write the image (resumed from the register\'s offset after a cut), compare the register\'s digest',
        '3. boot it on trial; confirm only when version, digest and self-checks agree, else the register goes back to its old image'];
    if (ctx.options['dry-run'] === true) {
      printPlan(ctx, plan);
      return ExitCode.ok;
    }
    if (!(await confirmChange(ctx, plan))) return ExitCode.failed;
    const pkg = await packageId(ctx, given);
    await sayRepositoryAge(ctx, pkg);
    return runDeviceJob<UpgradeView>(ctx, {
      path: `/v1/devices/${encodeURIComponent(id)}/upgrade`,
      body: { package: pkg, path: path.data, allowDowngrade: ctx.options['allow-downgrade'] === true, reinstall: ctx.options.reinstall === true },
      label: { 'zh-CN': '升级任务', en: 'Upgrade job' }, ...upgradeView,
    });
  },
};
