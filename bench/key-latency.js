// Cockpit target 1: key written → frame written, with 100k events held, at 120×40 (budget:
// p50 ≤ 8 ms, p95 ≤ 16 ms = one 60 Hz frame, p99 ≤ 33 ms). The real App is mounted with app/run.tsx's
// options on a fake TTY; the events pane is focused and j/k/PgDn/G/g are pressed in turn (~300
// presses, 20 ms after each frame), timing stdin.write → the first stdout.write after it (Ink
// writes the frame synchronously in one burst: begin-sync, the diff, end-sync; the end-sync time
// is shown too). Baseline, same run: the same with 1k events held (and, like the 100k incident, a
// full timeline pane) — the ratio is what holding 100k costs. On a miss (or BENCH_PROFILE=1) a further run is CPU-profiled to show where the
// time goes.
//   BENCH_KEYS (300)  BENCH_KEY_EVENTS (100000)

import { dist, profileWanted, runChild } from './cockpit-lib.js';
import { envInt, int, log, ratio } from './lib.js';
import { formatSummary } from './profile.js';

export const KEY_TARGETS = { p50: 8, p95: 16, p99: 33 };

export async function benchKeyLatency({
  presses = envInt('BENCH_KEYS', 300),
  events = envInt('BENCH_KEY_EVENTS', 100_000),
  baseEvents = 1000,
} = {}) {
  const base = await runChild('keys', { events: baseEvents, presses });
  const big = await runChild('keys', { events, presses });
  const l = big.latency;
  const missed = l.p50 > KEY_TARGETS.p50 || l.p95 > KEY_TARGETS.p95 || l.p99 > KEY_TARGETS.p99;

  log(
    `\n[4] key → frame, 120×40, events pane, j/k/PgDn/G/g × ${int(presses)} (20 ms after each frame; p50 / p95 / p99 / max)`,
  );
  const row = (label, r) => {
    log(`    ${label}`);
    log(`      key → first write        ${dist(r.latency)}`);
    log(`      key → frame end (ESU)    ${dist(r.frameEnd)}`);
    log(`      Ink renderTime           ${dist(r.renderTime)}   (yoga + output; React's commit is before it)`);
    log(
      `      CPU ${r.cpuMsPerKey.toFixed(1)} ms per key (whole process, gaps included: less sensitive to other load than the latencies)`,
    );
    log(
      `      frames per key ${r.framesPerKey.toFixed(2)}, ${int(r.bytesPerKey)} bytes per key (first frame ${int(r.firstFrameBytes)}), ` +
        `other frames ${r.unsolicitedFrames} (the 1 s clock), keys with no frame ${r.missing}, keys that did not move the cursor as expected ${r.wrong}`,
    );
    log(
      `      p50 by key: ${Object.entries(r.byKey)
        .map(([k, s]) => `${k} ${s.p50.toFixed(1)}`)
        .join(', ')} ms`,
    );
  };
  row(`${int(base.held)} events held (baseline)`, base);
  row(
    `${int(big.held)} events held (fixture: generated ${(big.fixture.genMs / 1000).toFixed(1)} s, opened ${(big.fixture.openMs / 1000).toFixed(1)} s)`,
    big,
  );
  log(
    `    cost of holding ${int(big.held)} vs ${int(base.held)}: p50 ${ratio(l.p50, base.latency.p50)}, p95 ${ratio(l.p95, base.latency.p95)}, p99 ${ratio(l.p99, base.latency.p99)}, CPU per key ${ratio(big.cpuMsPerKey, base.cpuMsPerKey)}`,
  );

  let profile;
  if (missed || profileWanted()) {
    const p = await runChild('keys', { events, presses: Math.min(presses, 60), profile: true });
    profile = p.profile;
    log(
      `    CPU profile of ${Math.min(presses, 60)} more presses at ${int(events)} events (profiled: key → first write p50 ${p.latency.p50.toFixed(1)} ms):`,
    );
    for (const line of formatSummary(profile)) log(line);
  }
  return { base, big, profile, missed };
}
