// Cockpit target 2: cold start to the first drill frame ≤ 400 ms. `node bin/firebreak.js drill
// --journal <new file>` (the launcher runs dist/bundle/cli.js when the build made one, see
// scripts/bundle.js, else dist/app/cli.js) runs in a pseudo-terminal (120×40, NODE_ENV=production) and the clock runs
// from spawn to the first output containing "DRILL" (the header's mode tag). Baseline in the same
// pty setup: `node -e "process.stdout.write('x')"`, i.e. a bare Node start. Runs are interleaved
// and the median reported.
//
// Also, interleaved with those: `firebreak --version` in the same pty — the whole module graph
// loaded plus commander, nothing else — which splits the start into loading and doing. On a miss
// (or BENCH_PROFILE=1), the import time of the heaviest dependencies, each in a fresh process.
//   BENCH_COLD_RUNS (5)

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from '@lydell/node-pty';
import { profileWanted } from './cockpit-lib.js';
import { envInt, log, ms, now, percentile, removeDir, tempDir } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'firebreak.js');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
export const COLD_TARGET_MS = 400;

function env(extra = {}) {
  const e = { ...process.env, NODE_ENV: 'production', TERM: 'xterm-256color' };
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'NODE_COMPILE_CACHE', 'FORCE_COLOR']) delete e[k];
  return Object.assign(e, extra);
}

/**
 * Spawns `args` under node in a 120×40 pty; resolves with the time to the first output and to the
 * first output containing `marker`. `quit` is typed once the marker is seen (then the process has
 * `exitMs` to leave before it is killed). `file` runs instead of node (bench/npm-start.js: sh).
 */
export function timeInPty(
  args,
  marker,
  { quit, extraEnv, exitMs = 5000, timeoutMs = 15_000, file = process.execPath } = {},
) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const p = pty.spawn(file, args, {
      name: 'xterm-256color',
      cols: 120,
      rows: 40,
      cwd: ROOT,
      env: env(extraEnv),
    });
    let buf = '';
    let first;
    let at;
    let exited = false;
    const killer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.onData((d) => {
      const t = now();
      first ??= t - t0;
      if (at !== undefined) return;
      buf += d;
      if (buf.includes(marker)) {
        at = t - t0;
        if (quit) {
          // Let the drill settle, then quit through the UI (q, then y to confirm) so the journal is
          // closed properly; kill if it does not leave.
          setTimeout(() => {
            for (const [i, k] of quit.entries()) setTimeout(() => !exited && p.write(k), i * 150);
          }, 200);
          setTimeout(() => !exited && p.kill('SIGKILL'), exitMs);
        }
      }
    });
    p.onExit(({ exitCode, signal }) => {
      exited = true;
      clearTimeout(killer);
      if (at === undefined)
        reject(
          new Error(
            `${args.join(' ')}: no "${marker}" in the output (exit ${exitCode}, signal ${signal}): ${JSON.stringify(buf.slice(-300))}`,
          ),
        );
      else resolve({ firstMs: first, markerMs: at });
    });
  });
}

/** Wall time of a plain (non-pty) node process, spawn → exit. */
function timeProcess(args) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const p = spawn(process.execPath, args, { cwd: ROOT, env: env(), stdio: 'ignore' });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(now() - t0) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

const median = (xs) => percentile(xs, 50);

/** Which entry bin/firebreak.js picks (its rule: the bundle unless a later tsc left it stale). */
function entryRun() {
  const bundle = join(ROOT, 'dist', 'bundle', 'cli.js');
  const info = join(ROOT, 'dist', '.tsbuildinfo');
  if (!existsSync(bundle)) return 'dist/app/cli.js (no bundle)';
  if (existsSync(info) && statSync(info).mtimeMs > statSync(bundle).mtimeMs)
    return 'dist/app/cli.js (the bundle is older than the last tsc)';
  return 'dist/bundle/cli.js';
}

/**
 * Where a slow start's module loading goes (on a miss, or BENCH_PROFILE=1): the import time of
 * single dependencies, each alone in a fresh Node (they share sub-dependencies, so these overlap
 * and do not add up).
 */
async function breakdown(r) {
  const imports = [];
  const bareProc = [];
  const bareArgs = ['--input-type=module', '-e', 'await 0'];
  await timeProcess(bareArgs);
  for (let i = 0; i < 3; i++) bareProc.push(await timeProcess(bareArgs));
  const IMPORTS = [
    ['ink', 'ink'],
    ['react', 'react'],
    // The way views/format.ts imports it, and the one-function entry point.
    ["date-fns (barrel: import { format } from 'date-fns')", 'date-fns'],
    ["date-fns/format (one function's modules)", 'date-fns/format'],
    ['zod', 'zod'],
    ['yaml', 'yaml'],
    ['commander', 'commander'],
    // Not on the drill's path today; they must stay behind a dynamic import for it to stay so.
    ['@kubernetes/client-node (live sources; keep lazy)', '@kubernetes/client-node'],
    ['@aws-sdk/client-cloudtrail (live sources; keep lazy)', '@aws-sdk/client-cloudtrail'],
  ];
  for (const [label, spec] of IMPORTS) {
    const t = [];
    try {
      for (let i = 0; i < 1; i++)
        t.push(await timeProcess(['--input-type=module', '-e', `await import(${JSON.stringify(spec)})`]));
      imports.push([label, Math.max(0, Math.min(...t) - median(bareProc))]);
    } catch {
      imports.push([label, NaN]);
    }
  }
  log(
    `      import alone, fresh process, minus bare node (${ms(median(bareProc))}; n/a = not installed); they overlap:`,
  );
  for (const [label, t] of imports) log(`        ${label.padEnd(58)} ${ms(t).padStart(10)}`);
  return { imports };
}

export async function benchColdStart({ runs = envInt('BENCH_COLD_RUNS', 5) } = {}) {
  const dir = tempDir('cold');
  try {
    const bare = [];
    const drill = [];
    const drillFirst = [];
    const version = [];
    // One unmeasured start of each, so every measured run finds the files in the page cache.
    await timeInPty(['-e', "process.stdout.write('x')"], 'x');
    await timeInPty([BIN, 'drill', '--journal', join(dir, 'warm.jsonl')], 'DRILL', { quit: ['q', 'y'] });
    for (let i = 0; i < runs; i++) {
      bare.push((await timeInPty(['-e', "process.stdout.write('x')"], 'x')).markerMs);
      const d = await timeInPty([BIN, 'drill', '--journal', join(dir, `drill-${i}.jsonl`)], 'DRILL', {
        quit: ['q', 'y'],
      });
      drill.push(d.markerMs);
      drillFirst.push(d.firstMs);
      version.push((await timeInPty([BIN, '--version'], VERSION)).markerMs);
    }
    const r = {
      runs,
      bare: median(bare),
      drill: median(drill),
      drillFirst: median(drillFirst),
      drillAll: drill,
      version: median(version),
    };
    r.missed = r.drill > COLD_TARGET_MS;
    log(
      `\n[5] cold start → first drill frame (pty 120×40, NODE_ENV=production, median of ${runs}, after one unmeasured start)`,
    );
    log(`    entry the launcher runs                      ${entryRun()}`);
    log(`    bare node -e "process.stdout.write('x')"     ${ms(r.bare).padStart(10)}   (baseline)`);
    log(`    firebreak drill → first output              ${ms(r.drillFirst).padStart(10)}   (alternate screen on)`);
    log(
      `    firebreak drill → "DRILL" on screen          ${ms(r.drill).padStart(10)}   runs: ${drill.map((x) => x.toFixed(0)).join(', ')} ms`,
    );
    log(`    difference (firebreak's own start)           ${ms(r.drill - r.bare).padStart(10)}`);
    const rest = r.drill - r.version;
    log(
      `    firebreak --version (module graph + commander, nothing else)  ${ms(r.version).padStart(10)}  → loading modules is ~${Math.min(100, (100 * (r.version - r.bare)) / (r.drill - r.bare)).toFixed(0)}% of the start`,
    );
    log(
      `    the rest (scenario, journal create + fsync, open, first render) ${rest > 0 ? ms(rest).padStart(10) : 'lost in the noise (other load)'}`,
    );
    if (r.missed || profileWanted()) Object.assign(r, await breakdown(r));
    return r;
  } finally {
    removeDir(dir);
  }
}
