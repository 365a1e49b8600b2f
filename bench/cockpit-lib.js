// Helpers shared by the cockpit benches: running cockpit-child.js in a fresh Node, the environment
// the cockpit runs with in a real terminal, and formatting of latency distributions.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackChild } from './lib.js';

const CHILD = fileURLToPath(new URL('./cockpit-child.js', import.meta.url));

/**
 * The environment of a cockpit in a real terminal: production React/Ink (bin/firebreak.js sets
 * NODE_ENV=production too), colour on (the fake stdout is not a tty to chalk's detection), and no
 * CI variable, which would make Ink non-interactive (no throttle, no alternate screen, no sync).
 */
export function cockpitEnv(extra = {}) {
  const env = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: process.env.FORCE_COLOR ?? '3', ...extra };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  return env;
}

/** Runs one cockpit-child measurement in a fresh process; resolves with its RESULT object. */
export function runChild(mode, args, { timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const p = trackChild(
      spawn(process.execPath, ['--expose-gc', CHILD, mode, JSON.stringify(args)], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: cockpitEnv(),
      }),
    );
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line)
        reject(new Error(`cockpit-child ${mode} failed (${code ?? signal}): ${err.trim() || out.trim()}`));
      else resolve(JSON.parse(line.slice(7)));
    });
  });
}

const f = (x) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x.toFixed(1)) : 'n/a');

/** "p50 / p95 / p99 / max" of a stats object, in ms. */
export function dist(s) {
  return `${f(s.p50)} / ${f(s.p95)} / ${f(s.p99)} / ${f(s.max)} ms`;
}

export const profileWanted = () => process.env.BENCH_PROFILE === '1';
