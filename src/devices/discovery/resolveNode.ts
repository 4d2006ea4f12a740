import { realpath } from 'node:fs/promises';

/** The device node a path finally names (symlinks followed); the path itself when it cannot be resolved. */
export async function resolveNode(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}
