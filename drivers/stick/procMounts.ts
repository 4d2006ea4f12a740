/** One line of /proc/mounts (fstab format: device, mount point, type, options, dump, pass). */
export interface MountEntry {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly options: readonly string[];
}

/** The kernel escapes space, tab, newline and backslash in mount fields as 3-digit octal (`\040`). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_whole, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseProcMounts(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || fields[0].startsWith('#')) continue;
    entries.push({
      device: unescapeMountField(fields[0]),
      mountPoint: unescapeMountField(fields[1]),
      fsType: fields[2],
      options: fields[3].split(','),
    });
  }
  return entries;
}
