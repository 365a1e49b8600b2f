// Shared helpers for the benchmarks: timing, percentiles, temp dirs and formatting. Every figure
// a benchmark prints is compared with a baseline measured in the same run, so the numbers say
// "how far from the floor this machine allows", not "how fast this machine is".

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const now = () => performance.now();

/** Nearest-rank percentile of an unsorted array of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

// Directories to remove and child processes to stop if the run is interrupted (the open bench
// writes ~1.5 GB).
const live = new Set();
const children = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const p of children) p.kill('SIGTERM');
    for (const dir of live) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}

/** Stops `p` too if the run is interrupted. */
export function trackChild(p) {
  children.add(p);
  p.on('close', () => children.delete(p));
  return p;
}

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `fb-bench-${prefix}-`));
  live.add(dir);
  return dir;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

export const ms = (x) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(3) : x.toFixed(1)} ms` : 'n/a');
export const ratio = (a, b) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : 'n/a');
export const int = (x) => Math.round(x).toLocaleString('en-US');
export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Number from the environment, or the default (BENCH_RECORDS=100000 scales the open bench down). */
export function envInt(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${v}`);
  return n;
}

export function log(...args) {
  process.stdout.write(args.join(' ') + '\n');
}
