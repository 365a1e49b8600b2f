// Whether dist/ is up to date with the sources, so `npm start` (scripts/start.js) and `npm install`
// (the "prepare" script) build only when something changed: tsc alone takes seconds even with
// nothing to do, and the drill itself starts in a fraction of one.
//
// The build (package.json "build") ends by writing dist/.build-stamp. dist/ is fresh when that
// stamp exists and no input is newer than it. Inputs are the files the build reads — the
// TypeScript sources, the bundled scenarios, the tsconfigs, package.json, the lockfile npm writes
// on every install, and this build's own scripts — and the directories holding them, whose mtime
// moves when a file is added, removed or renamed. mtimes, not hashes: a touched file rebuilds, which
// errs on the safe side, and stat-ing a few hundred files takes milliseconds.
// The stamp carries the build's START time (--begin writes it aside, --stamp moves it in place once
// every step succeeded), so a file saved while a build runs still counts as newer than that build.
//   node scripts/build-state.js           prints "fresh" or "stale: <why>" (exit 0 / 1)
//   node scripts/build-state.js --begin   a build starts: drops the stamp, notes the time
//   node scripts/build-state.js --stamp   the build finished: its start time becomes the stamp

import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STAMP = join('dist', '.build-stamp');
const BEGUN = join('dist', '.build-begun');

/** Trees (walked) and single files (relative to the package root) the build reads. */
const TREES = ['app', 'src', 'store', 'views', 'assets', join('packages', 'cloud-sim', 'src')];
const FILES = [
  'tsconfig.json',
  join('packages', 'cloud-sim', 'tsconfig.json'),
  join('packages', 'cloud-sim', 'package.json'),
  'package.json',
  join('node_modules', '.package-lock.json'),
  join('scripts', 'bundle.js'),
  join('scripts', 'build-state.js'),
];

/** The newest mtime under `path` (the directory itself included); 0 when it does not exist. */
function newest(path, found) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return;
  }
  if (st.mtimeMs > found.mtimeMs) {
    found.mtimeMs = st.mtimeMs;
    found.path = path;
  }
  if (!st.isDirectory()) return;
  for (const d of readdirSync(path, { withFileTypes: true })) {
    if (d.name === 'node_modules' || d.name === 'dist') continue;
    if (d.isDirectory() || d.isFile()) newest(join(path, d.name), found);
  }
}

/**
 * "fresh" when dist/ was built after every input last changed, else "stale" with the reason.
 * @param {string} root the package root
 * @returns {{ fresh: boolean, reason: string }}
 */
export function buildState(root) {
  let stamp;
  try {
    stamp = statSync(join(root, STAMP)).mtimeMs;
  } catch {
    return { fresh: false, reason: `no ${STAMP} (never built here)` };
  }
  const found = { mtimeMs: 0, path: '' };
  for (const t of TREES) newest(join(root, t), found);
  for (const f of FILES) newest(join(root, f), found);
  if (found.mtimeMs > stamp)
    return { fresh: false, reason: `${relative(root, found.path)} changed after the last build` };
  return { fresh: true, reason: 'built after every source last changed' };
}

/** A build starts: until it finishes, dist/ is stale. */
export function beginBuild(root) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  rmSync(join(root, STAMP), { force: true });
  writeFileSync(join(root, BEGUN), `build started ${new Date().toISOString()}\n`);
}

/** The build finished: the stamp is the file --begin wrote (rename keeps its mtime, the start). */
export function writeStamp(root) {
  try {
    renameSync(join(root, BEGUN), join(root, STAMP));
  } catch {
    // Built without --begin (by hand, step by step): stamp the end.
    writeFileSync(join(root, STAMP), `built ${new Date().toISOString()}\n`);
  }
}

export const packageRoot = () => join(dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = packageRoot();
  if (process.argv.includes('--begin')) beginBuild(root);
  else if (process.argv.includes('--stamp')) writeStamp(root);
  else {
    const s = buildState(root);
    process.stdout.write(s.fresh ? 'fresh\n' : `stale: ${s.reason}\n`);
    process.exitCode = s.fresh ? 0 : 1;
  }
}
