import { closeSync, openSync, fsyncSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** fsync a file or a folder by path, so its content, or a rename or a new entry in it, survives a power cut. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function fsyncPathSync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
