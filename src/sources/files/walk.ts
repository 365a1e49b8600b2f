// Expands import paths into files: directories recursively, in sorted order so an import is
// repeatable. CloudTrail-Digest folders hold integrity files, not events: they are set aside
// (and handed to digest validation when it was asked for).

import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError } from './fs-errors.js';

export interface Walked {
  files: string[];
  /** CloudTrail-Digest folders found under the paths. */
  digestDirs: string[];
  /** Entries that could not be listed or stat'ed (a broken symlink, no permission). */
  unreadable: { path: string; detail: string }[];
}

export const DIGEST_DIR = 'CloudTrail-Digest';

export async function walkPaths(paths: readonly string[]): Promise<Walked> {
  const out: Walked = { files: [], digestDirs: [], unreadable: [] };
  const seen = new Set<string>();
  // A work list, not recursion: depth is whatever the attacker's tree has. Reversed pushes keep
  // the sorted, depth-first order a recursive walk gives.
  const todo = [...paths].reverse();
  while (todo.length > 0) {
    const p = todo.pop()!;
    try {
      const st = await stat(p);
      if (st.isFile()) {
        out.files.push(p);
        continue;
      }
      if (!st.isDirectory()) continue;
      // Symlinked directories can loop; visit each real directory once.
      const real = await realpath(p);
      if (seen.has(real)) continue;
      seen.add(real);
      const names = (await readdir(p)).sort();
      const children: string[] = [];
      for (const name of names) {
        const child = join(p, name);
        if (name === DIGEST_DIR && (await isDirectory(child))) out.digestDirs.push(child);
        else children.push(child);
      }
      for (let i = children.length - 1; i >= 0; i--) todo.push(children[i]!);
    } catch (e) {
      // One missing path, broken link or link loop costs only itself: the other paths still import.
      out.unreadable.push({ path: p, detail: describeFsError(e) });
    }
  }
  return out;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Every file under a directory, sorted (digest folders included). A work list: no recursion. */
export async function listFiles(dir: string): Promise<string[]> {
  const st = await stat(dir);
  if (st.isFile()) return [dir];
  const out: string[] = [];
  const todo = [dir];
  while (todo.length > 0) {
    const d = todo.pop()!;
    const entries = (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    const sub: string[] = [];
    for (const e of entries) {
      const child = join(d, e.name);
      // Dirent types do not follow symlinks, so a linked folder (and any loop) is not entered.
      if (e.isDirectory()) sub.push(child);
      else if (e.isFile()) out.push(child);
    }
    for (let i = sub.length - 1; i >= 0; i--) todo.push(sub[i]!);
  }
  return out;
}
