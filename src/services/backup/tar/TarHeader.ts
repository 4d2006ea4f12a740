/** A tar block; archives are a whole number of them. */
export const BLOCK = 512;

/** A backup holds only regular files and directories; anything else in an archive is refused. */
export type TarEntryType = 'file' | 'directory';

export interface TarHeader {
  readonly name: string;
  readonly type: TarEntryType;
  readonly size: number;
  readonly mode: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
}
