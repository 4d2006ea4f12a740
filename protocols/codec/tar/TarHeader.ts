/** A tar block; archives are a whole number of them. */
export const BLOCK = 512;

/** Archives this project reads and writes (backups, firmware packages) hold only regular files and directories. */
export type TarEntryType = 'file' | 'directory';

export interface TarHeader {
  readonly name: string;
  readonly type: TarEntryType;
  readonly size: number;
  readonly mode: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
}
