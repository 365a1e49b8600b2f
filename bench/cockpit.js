// The cockpit benchmarks alone (`node bench/cockpit.js`, after `npm run build`): key → frame with
// 100k events held, cold start to the first drill frame, and a 60 s live feed — each against a
// baseline measured in the same run, then a table with PASS/MISS per target. ~3 minutes.
// bench/run.js runs these too, after the journal benchmarks.
//   BENCH_KEYS (300)  BENCH_KEY_EVENTS (100000)  BENCH_COLD_RUNS (5)  BENCH_FEED_SECONDS (60)
//   BENCH_PROFILE=1 profiles every bench, not only the ones that miss.

import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { benchColdStart, COLD_TARGET_MS } from './cold-start.js';
import { benchKeyLatency, KEY_TARGETS } from './key-latency.js';
import { benchLiveFeed, FEED_LAG_TARGET_MS } from './live-feed.js';
import { int, log, ms, now, ratio } from './lib.js';

export async function runCockpitBenches() {
  const keys = await benchKeyLatency();
  const cold = await benchColdStart();
  const feed = await benchLiveFeed();
  return { keys, cold, feed };
}

/** Summary rows: [benchmark, measured, baseline, ratio, target, pass (true/false/undefined)]. */
export function cockpitRows({ keys, cold, feed }) {
  const k = keys.big.latency;
  const kb = keys.base.latency;
  const held = int(keys.big.held);
  const base = `${int(keys.base.held)} events held`;
  const l = feed.live;
  return [
    [
      `key→frame p50, ${held} held`,
      ms(k.p50),
      `${ms(kb.p50)} ${base}`,
      ratio(k.p50, kb.p50),
      `≤ ${KEY_TARGETS.p50} ms`,
      k.p50 <= KEY_TARGETS.p50,
    ],
    [
      `key→frame p95, ${held} held`,
      ms(k.p95),
      `${ms(kb.p95)} ${base}`,
      ratio(k.p95, kb.p95),
      `≤ ${KEY_TARGETS.p95} ms`,
      k.p95 <= KEY_TARGETS.p95,
    ],
    [
      `key→frame p99, ${held} held`,
      ms(k.p99),
      `${ms(kb.p99)} ${base}`,
      ratio(k.p99, kb.p99),
      `≤ ${KEY_TARGETS.p99} ms`,
      k.p99 <= KEY_TARGETS.p99,
    ],
    [
      'cold start → first drill frame',
      ms(cold.drill),
      `${ms(cold.bare)} bare node start`,
      ratio(cold.drill, cold.bare),
      `≤ ${COLD_TARGET_MS} ms`,
      cold.drill <= COLD_TARGET_MS,
    ],
    [
      `feed 1k ev/s, loop delay p99`,
      ms(l.lag.p99),
      `${ms(feed.base.lag.p99)} feed, no cockpit`,
      ratio(l.lag.p99, feed.base.lag.p99),
      `≤ ${FEED_LAG_TARGET_MS} ms`,
      l.lag.p99 <= FEED_LAG_TARGET_MS,
    ],
    [`feed: events kept`, `${int(l.reopenedEvents)}`, `${int(l.expected)} sent + held`, '', 'none lost', feed.lossless],
  ];
}

export function printTable(rows, title) {
  const head = ['benchmark', 'measured', 'baseline (same run)', 'ratio', 'target', ''];
  const table = [head, ...rows.map((r) => [...r.slice(0, 5), r[5] === undefined ? '' : r[5] ? 'PASS' : 'MISS'])];
  const widths = head.map((_, c) => Math.max(...table.map((r) => String(r[c]).length)));
  const line = (r) =>
    r
      .map((x, c) => String(x).padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  log(`\n${title}`);
  log(line(table[0]));
  log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of table.slice(1)) log(line(r));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  const t0 = now();
  log(
    `firebreak cockpit benchmarks — node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, load average ${load()}`,
  );
  const r = await runCockpitBenches();
  printTable(
    cockpitRows(r),
    `summary (${((now() - t0) / 1000).toFixed(0)} s, load average now ${load()}; ratios are measured ÷ baseline)`,
  );
}
