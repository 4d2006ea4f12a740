import { open } from 'node:fs/promises';

/** fsync a file or a directory by path, so a rename or a new entry in it survives a power cut. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
