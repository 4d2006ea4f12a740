import { GatewayError } from '../../contracts/errors/index.js';

declare const firmwareVersionBrand: unique symbol;

/**
 * A firmware or bootloader version `major.minor.patch`, each 0…255 in decimal without leading zeros: the three
 * bytes a register reports (GB-link 37, 64 `begin`). The template literal catches a malformed literal at build
 * time; the brand says the text went through `parseFirmwareVersion`, so `'1.2'` or an unchecked string cannot
 * reach the version rules.
 */
export type FirmwareVersion = `${number}.${number}.${number}` & { readonly [firmwareVersionBrand]: true };

const component = '(0|[1-9][0-9]{0,2})';
const versionPattern = new RegExp(`^${component}\\.${component}\\.${component}$`);

/** The regular expression of the text form (components still need the 0…255 check). */
export const FIRMWARE_VERSION_PATTERN = versionPattern;

export function isFirmwareVersion(text: string): text is FirmwareVersion {
  const match = versionPattern.exec(text);
  return match !== null && match.slice(1).every((part) => Number(part) <= 255);
}

/** `what` names the field in the error (`--version`, `manifest.versionLowest`, the register's firmware…). */
export function parseFirmwareVersion(text: string, what = 'version'): FirmwareVersion {
  if (!isFirmwareVersion(text)) {
    throw new GatewayError('FWPKG_VERSION_INVALID', { params: { what, text } });
  }
  return text;
}

/** The three bytes of a version, as the register sends them. */
export function versionBytes(version: FirmwareVersion): readonly [number, number, number] {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  return [major, minor, patch];
}

export function versionFromBytes(major: number, minor: number, patch: number): FirmwareVersion {
  return parseFirmwareVersion(`${major}.${minor}.${patch}`);
}

/** Negative when `a` is older than `b`, 0 when equal, positive when newer. */
export function compareVersions(a: FirmwareVersion, b: FirmwareVersion): number {
  const left = versionBytes(a);
  const right = versionBytes(b);
  for (let i = 0; i < 3; i += 1) {
    if (left[i] !== right[i]) return left[i]! - right[i]!;
  }
  return 0;
}
