import { compareVersions, isFirmwareVersion } from '../../../../protocols/fwpkg/FirmwareVersion.js';
import type { CheckDefinition } from './CheckDefinition.js';
import { needs, notRun } from './CheckDefinition.js';

const FACTORY = { zh: '出厂信息（37）', en: 'factory data (37)' };
const TRANSFER = { zh: '升级状态（64/03）', en: 'firmware transfer (64/03)' };

export const identityChecks: readonly CheckDefinition[] = [
  {
    id: 'identity.machine',
    measures: { zh: '机器编号、型号与登记的是否一致', en: 'Machine number and model, and whether they match the register identified' },
    evaluate: (o) => needs(o.factory, FACTORY, (factory) => {
      const facts = { machineNumber: factory.machineNumber, model: factory.model, hardwareRevision: factory.hardwareRevision, productionDate: factory.productionDate };
      if (factory.machineNumber === o.machineNumber) {
        return { status: 'ok', facts, summary: { zh: `机器编号 ${factory.machineNumber}，型号 ${factory.model}`, en: `Machine number ${factory.machineNumber}, model ${factory.model}` } };
      }
      return {
        status: 'fault', facts: { ...facts, expected: o.machineNumber },
        summary: { zh: `机器编号变了：应为 ${o.machineNumber}，读到 ${factory.machineNumber}`, en: `The machine number changed: expected ${o.machineNumber}, read ${factory.machineNumber}` },
        impact: { zh: '主板或税控存储器可能被更换，税控数据不可信', en: 'The main board or fiscal memory may have been swapped; the fiscal data cannot be trusted' },
        remedy: { zh: '停止使用，保留现场，报告主管税务机关并联系生产厂家。', en: 'Stop using it, keep it as it is, report to the tax office and contact the manufacturer.' },
        actor: 'tax-office',
      };
    }),
  },
  {
    id: 'identity.firmware',
    measures: { zh: '固件和引导程序版本，是否旧于本网关持有的可信升级包', en: 'Firmware and bootloader versions, and whether the firmware is older than the newest trusted package held here' },
    evaluate: (o) => needs(o.factory, FACTORY, (factory) => {
      const newest = o.known.newestTrustedFirmware;
      const facts = { firmwareVersion: factory.firmwareVersion, bootloaderVersion: factory.bootloaderVersion, newestTrustedPackage: newest ?? null };
      if (o.mode === 'bootloader') return { status: 'not-run', facts, reason: { zh: '引导程序模式下没有运行中的固件', en: 'No firmware runs while the bootloader answers' } };
      const older = newest !== undefined && isFirmwareVersion(newest) && isFirmwareVersion(factory.firmwareVersion)
        && compareVersions(factory.firmwareVersion, newest) < 0;
      if (!older) {
        return { status: 'ok', facts, summary: { zh: `固件 ${factory.firmwareVersion}，引导程序 ${factory.bootloaderVersion}`, en: `Firmware ${factory.firmwareVersion}, bootloader ${factory.bootloaderVersion}` } };
      }
      return {
        status: 'warning', facts,
        summary: { zh: `固件 ${factory.firmwareVersion} 旧于可信升级包 ${newest}`, en: `Firmware ${factory.firmwareVersion} is older than the trusted package ${newest}` },
        impact: { zh: '旧固件可能缺少已发布的修正', en: 'The old firmware may lack published fixes' },
        remedy: { zh: `先备份，再按升级流程升级到 ${newest}，升级后验机。`, en: `Back up first, then upgrade to ${newest} by the upgrade procedure and check the machine afterwards.` },
        actor: 'technician',
      };
    }),
  },
  {
    id: 'firmware.running',
    measures: { zh: '收款机运行的是应用程序还是引导程序', en: 'Whether the register runs its application or sits in its bootloader' },
    evaluate: (o) => needs(o.factory, FACTORY, () => (o.mode === 'application'
      ? { status: 'ok', facts: { mode: 'application' }, summary: { zh: '收款机运行应用程序', en: 'The register runs its application' } }
      : {
        status: 'fault', facts: { mode: 'bootloader' },
        summary: { zh: '收款机停在引导程序（升级）模式', en: 'The register is stuck in its bootloader' },
        impact: { zh: '收款机不能开票，税控功能全部不可用', en: 'The register cannot issue invoices; no fiscal function works' },
        remedy: { zh: '由维修人员用可信升级包重新完成升级；仍无法启动则送厂维修。', en: 'A technician completes the upgrade again with a trusted package; if it still does not boot, send it for factory repair.' },
        actor: 'technician',
      })),
  },
  {
    id: 'firmware.upgrade-state',
    measures: { zh: '上次升级是否完成，是否因升级失败退回旧固件', en: 'Whether the last upgrade finished, or the register fell back after a failed one' },
    evaluate: (o) => needs(o.firmwareTransfer, TRANSFER, (transfer) => {
      if (transfer === null) return notRun('收款机不提供升级状态查询（64）', 'The register does not offer the firmware query (64)');
      const running = o.factory.state === 'ok' ? o.factory.value.firmwareVersion : null;
      const facts = { transferState: transfer.state, transferVersion: transfer.version, runningVersion: running, received: transfer.received, size: transfer.size };
      if (transfer.state === 'idle') return { status: 'ok', facts, summary: { zh: '没有未完成的升级', en: 'No unfinished upgrade' } };
      const transferFlag = o.status.state === 'ok' ? o.status.value.detail?.firmwareTransfer : undefined;
      const fellBack = transfer.state === 'complete' && transferFlag !== true && running !== null && running !== transfer.version;
      if (fellBack) {
        return {
          status: 'fault', facts, code: 'ER 71',
          summary: { zh: `升级到 ${transfer.version} 失败，收款机已退回旧固件 ${running}`, en: `The upgrade to ${transfer.version} failed; the register fell back to ${running}` },
          impact: { zh: '新固件没有生效，升级包可能损坏', en: 'The new firmware is not in effect; the package may be damaged' },
          remedy: { zh: '核对升级包后重新升级；再次失败请送厂维修。', en: 'Check the package and upgrade again; if it fails again, send it for factory repair.' },
          actor: 'technician',
        };
      }
      return {
        status: 'warning', facts,
        summary: { zh: `有未完成的升级（${transfer.version}，已收到 ${transfer.received}/${transfer.size} 字节）`, en: `An unfinished upgrade (${transfer.version}, ${transfer.received}/${transfer.size} bytes received)` },
        impact: { zh: '升级停在中途，新固件尚未生效', en: 'The upgrade stopped half-way; the new firmware is not in effect' },
        remedy: { zh: '继续或放弃这次升级（升级任务会从断点继续）。', en: 'Resume or abandon the upgrade (the upgrade job resumes where it stopped).' },
        actor: 'technician',
      };
    }),
  },
];
