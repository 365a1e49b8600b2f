// `npm start` → the drill's first frame (pty 120×40), as a user runs it after `npm install`:
//   now:    `npm start` (scripts/start.js: build only when a source is newer than dist/.build-stamp)
//   before: what "start" ran until it checked: `npm run build && node bin/firebreak.js drill`
//           (tsc + precompile + bundle on every start), measured here once as the reference
//   floor:  `node bin/firebreak.js drill` alone (no npm)
// The build must be fresh when this runs (npm run bench builds first). Median of BENCH_START_RUNS.
//   BENCH_START_RUNS (3)  BENCH_START_BEFORE=0 skips the (slow) rebuild-every-time reference.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { timeInPty } from './cold-start.js';
import { envInt, log, ms, percentile, removeDir, tempDir } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'firebreak.js');
export const START_TARGET_MS = 1000;

const sh = (cmd, dir, name) =>
  timeInPty(['-c', `${cmd} --journal ${JSON.stringify(join(dir, name))}`], 'DRILL', {
    file: '/bin/sh',
    quit: ['q', 'y'],
    timeoutMs: 180_000,
  });

export async function benchNpmStart({ runs = envInt('BENCH_START_RUNS', 3) } = {}) {
  const state = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-state.js')], {
    encoding: 'utf8',
  }).stdout.trim();
  if (state !== 'fresh') throw new Error(`npm start bench: dist/ is not fresh (${state}); run "npm run build" first`);
  const dir = tempDir('start');
  try {
    await sh('npm start --silent --', dir, 'warm.jsonl');
    const start = [];
    const floor = [];
    for (let i = 0; i < runs; i++) {
      start.push((await sh('npm start --silent --', dir, `start-${i}.jsonl`)).markerMs);
      floor.push((await sh(`node ${JSON.stringify(BIN)} drill`, dir, `floor-${i}.jsonl`)).markerMs);
    }
    let before;
    if (process.env.BENCH_START_BEFORE !== '0')
      before = (await sh('npm run --silent build && node bin/firebreak.js drill', dir, 'before.jsonl')).markerMs;
    const r = { runs, start: percentile(start, 50), floor: percentile(floor, 50), before };
    log(`\nnpm start → first drill frame (pty 120×40, median of ${runs}, dist fresh)`);
    log(
      `    npm start (build only when stale)            ${ms(r.start).padStart(10)}   runs: ${start.map((x) => x.toFixed(0)).join(', ')} ms`,
    );
    log(`    node bin/firebreak.js drill (no npm)         ${ms(r.floor).padStart(10)}   (floor)`);
    if (before !== undefined)
      log(
        `    npm run build && drill (the old "start")     ${ms(before).padStart(10)}   → ${(before / r.start).toFixed(1)}× slower`,
      );
    return r;
  } finally {
    removeDir(dir);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchNpmStart();
