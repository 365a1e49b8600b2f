// `npm start`: the drill, building first only when dist/ is older than a source (build-state.js).
// With nothing changed it goes straight to bin/firebreak.js in this process — no tsc, no bundle,
// no second Node start. Extra arguments go to the drill: `npm start -- --journal x.jsonl`.
//   node scripts/start.js --build-only   the "prepare" step of npm install: build if stale, no drill

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildState, packageRoot } from './build-state.js';

const root = packageRoot();
const args = process.argv.slice(2);
const buildOnly = args[0] === '--build-only';
const state = buildState(root);
if (!state.fresh) {
  process.stderr.write(`firebreak: building (${state.reason})…\n`);
  // npm_execpath is the npm running this script; plain "npm" when started by hand.
  const npm = process.env.npm_execpath;
  const r = npm
    ? spawnSync(process.execPath, [npm, 'run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', '--silent', 'build'], {
        cwd: root,
        stdio: 'inherit',
        shell: process.platform === 'win32',
      });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!buildOnly) {
  process.argv.splice(2, process.argv.length, 'drill', ...args);
  await import(pathToFileURL(join(root, 'bin', 'firebreak.js')).href);
}
