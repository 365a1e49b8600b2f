// Expands import paths into files: directories recursively, in sorted order so an import is
// repeatable. CloudTrail-Digest folders hold integrity files, not events: they are set aside
// (and handed to digest validation when it was asked for).

import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

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
  async function visit(p: string): Promise<void> {
    const st = await stat(p);
    if (st.isFile()) {
      out.files.push(p);
      return;
    }
    if (!st.isDirectory()) return;
    // Symlinked directories can loop; visit each real directory once.
    const real = await realpath(p);
    if (seen.has(real)) return;
    seen.add(real);
    const names = (await readdir(p)).sort();
    for (const name of names) {
      const child = join(p, name);
      try {
        if (name === DIGEST_DIR && (await stat(child)).isDirectory()) out.digestDirs.push(child);
        else await visit(child);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        out.unreadable.push({ path: child, detail: err.code ? `${err.code}: ${err.message}` : String(e) });
      }
    }
  }
  for (const p of paths) await visit(p);
  return out;
}

/** Every file under a directory, sorted (digest folders included). */
export async function listFiles(dir: string): Promise<string[]> {
  const st = await stat(dir);
  if (st.isFile()) return [dir];
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(child)));
    else if (e.isFile()) out.push(child);
  }
  return out;
}
