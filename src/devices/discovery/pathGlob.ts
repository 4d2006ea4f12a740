import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A whole-path matcher for a glob whose `*` and `?` never cross a `/`. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** The existing paths a glob names (wildcards only in the last part); none when its folder does not exist. */
export async function expandGlob(glob: string): Promise<string[]> {
  const folder = dirname(glob);
  const matcher = globToRegExp(basename(glob));
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  return names.filter((name) => matcher.test(name)).sort().map((name) => join(folder, name));
}
