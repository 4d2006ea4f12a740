import type { FwpkgManifest, UpgradePath } from '../../../protocols/fwpkg/index.js';
import { displayTime } from '../output/displayTime.js';
import { displayWidth } from '../output/table.js';

/** What the manifest says of a vendor when `package build` is given no `--vendor`. */
export const UNSPECIFIED_VENDOR = 'unspecified';

const pathNames: Record<UpgradePath, { zh: string; en: string }> = {
  serial: { zh: '串口', en: 'serial line' },
  'usb-stick': { zh: 'U 盘', en: 'USB stick' },
  'ic-card': { zh: 'IC 卡', en: 'IC card' },
};

/** A manifest as people read it: one labelled line per field, in the chosen language. */
export function manifestLines(manifest: FwpkgManifest, zh: boolean, image?: { readonly matches: boolean }): string[] {
  const rows: [string, string][] = zh
    ? [
      ['厂商', manifest.vendor === UNSPECIFIED_VENDOR ? '（未注明）' : manifest.vendor],
      ['适用型号', manifest.models.join('、')],
      ['版本', manifest.version],
      ['可升级自', `${manifest.versionLowest} 及以上`],
      ['引导程序', `${manifest.bootloaderLowest} 及以上`],
      ['升级方式', manifest.paths.map((p) => pathNames[p].zh).join('、')],
      ['固件映像', `${manifest.size} 字节${image ? (image.matches ? '（与清单一致）' : '（与清单不符！）') : ''}`],
      ['SHA-256', manifest.sha256],
      ['SM3', manifest.sm3],
      ['签名密钥', manifest.keyId],
      ['制作时间', displayTime(manifest.createdAt) ?? manifest.createdAt],
      ['更新说明', manifest.releaseNotes || '（无）'],
    ]
    : [
      ['vendor', manifest.vendor],
      ['models', manifest.models.join(', ')],
      ['version', manifest.version],
      ['installs over', `${manifest.versionLowest} and later`],
      ['bootloader', `${manifest.bootloaderLowest} and later`],
      ['paths', manifest.paths.map((p) => pathNames[p].en).join(', ')],
      ['image', `${manifest.size} bytes${image ? (image.matches ? ' (matches the manifest)' : ' (does NOT match the manifest!)') : ''}`],
      ['SHA-256', manifest.sha256],
      ['SM3', manifest.sm3],
      ['signing key', manifest.keyId],
      ['created', displayTime(manifest.createdAt) ?? manifest.createdAt],
      ['release notes', manifest.releaseNotes || '(none)'],
    ];
  const width = Math.max(...rows.map(([label]) => displayWidth(label)));
  return rows.map(([label, value]) => `  ${label}${' '.repeat(width - displayWidth(label))}  ${value}`);
}
