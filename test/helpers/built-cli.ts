// The built CLI the cli and e2e tests run (dist/app/cli.js, from tsc), and whether it is older than
// the sources. tsc rewrites only the outputs that changed but its build info on every build that
// did anything, so the build info's time is the build's time.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'app', 'cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.tsx?$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** True when dist/ is missing or older than a source file in app/, src/, store/ or views/. */
export function cliIsStale(): boolean {
  if (!existsSync(CLI)) return true;
  const info = join(ROOT, 'dist', '.tsbuildinfo');
  const built = statSync(existsSync(info) ? info : CLI).mtimeMs;
  return built < Math.max(...['app', 'src', 'store', 'views'].map((d) => newestSource(join(ROOT, d))));
}

/** Recompiles with tsc when the build is stale (a targeted run without `npm run build`). */
export function ensureBuiltCli(): void {
  if (cliIsStale()) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch {
      // tsc still emits when another file has a type error; a missing CLI fails below.
    }
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build"`);
}
