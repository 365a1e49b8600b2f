// `npm run bench`: the journal benchmarks and the cockpit benchmarks from the issues, each against
// a baseline measured in the same run, then one table with PASS/MISS per target. A MISS is
// reported, never a failing exit: these numbers are for deciding what to optimise, and they move
// with the machine's load.
//   BENCH_ONLY=journal | cockpit | import | scale runs one group (the cockpit group alone takes ~3 minutes).
//   BENCH_APPENDS (2000)  BENCH_INGEST (100000)  BENCH_RECORDS (1000000)  BENCH_JQ_RECORDS (100000)
//   BENCH_JQ_FULL=1 runs jq over the whole generated journal instead of a prefix.
//   BENCH_KEYS (300)  BENCH_KEY_EVENTS (100000)  BENCH_COLD_RUNS (5)  BENCH_FEED_SECONDS (60)
//   BENCH_PROFILE=1 CPU-profiles every cockpit bench, not only those that miss.
//   BENCH_IMPORT_FILES (20)  BENCH_IMPORT_RECORDS_PER_FILE (2500)  BENCH_IMPORT_RUNS (2)

import { cpus, loadavg } from 'node:os';
import { benchAppendLatency } from './append-latency.js';
import { benchGroupCommit } from './group-commit.js';
import { benchOpen } from './open-verify.js';
import { benchImport, importRows } from './import.js';
import { benchDetectScale } from './detect-scale.js';
import { cockpitRows, printTable, runCockpitBenches } from './cockpit.js';
import { int, log, mb, ms, now, ratio } from './lib.js';

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const t0 = now();
log(
  `firebreak benchmarks — node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, load average ${load()}`,
);

const only = process.env.BENCH_ONLY ?? '';
const GROUPS = ['journal', 'cockpit', 'import', 'scale'];
if (only && !GROUPS.includes(only)) throw new Error(`BENCH_ONLY must be one of ${GROUPS.join(', ')}, got ${only}`);
const runs = (group) => !only || only === group;
const rows = [];

if (runs('journal')) {
  const append = await benchAppendLatency();
  const group = await benchGroupCommit();
  const open = await benchOpen();

  rows.push(
    [
      'durable append p99 (sync)',
      ms(append.journal.p99),
      `${ms(append.raw.p99)} write+fdatasync`,
      ratio(append.journal.p99, append.raw.p99),
      '≤ 5 ms',
      append.journal.p99 <= 5,
    ],
    [
      'durable append p50 (sync)',
      ms(append.journal.p50),
      `${ms(append.raw.p50)} write+fdatasync`,
      ratio(append.journal.p50, append.raw.p50),
      '—',
      undefined,
    ],
    [
      'group commit, appendMany',
      `${int(group.appendMany)} rec/s`,
      `${int(group.baseline)} rec/s stringify+sha+write`,
      ratio(group.baseline, group.appendMany),
      '≥ 100,000 rec/s',
      group.appendMany >= 100_000,
    ],
    [
      'group commit, append(group)',
      `${int(group.appendGroup)} rec/s`,
      `${int(group.baseline)} rec/s stringify+sha+write`,
      ratio(group.baseline, group.appendGroup),
      '≥ 100,000 rec/s',
      group.appendGroup >= 100_000,
    ],
    [
      `open ${int(open.records)} records`,
      ms(open.openMs),
      `${ms(open.baselineMs)} read+parse+sha`,
      ratio(open.openMs, open.baselineMs),
      '≤ 2.0× baseline',
      open.openMs / open.baselineMs <= 2.0,
    ],
    [
      `verify ${int(open.records)} records`,
      ms(open.verifyMs),
      `${ms(open.baselineMs)} read+parse+sha`,
      ratio(open.verifyMs, open.baselineMs),
      '≤ 1.5× baseline',
      open.verifyMs / open.baselineMs <= 1.5,
    ],
    [
      `open peak RSS`,
      mb(open.openRss),
      `${mb(open.baselineRss)} baseline process`,
      ratio(open.openRss, open.baselineRss),
      '≤ 512 MB',
      open.openRss <= 512 * 1024 * 1024,
    ],
  );
  if (open.records !== 1_000_000) rows.at(-1)[4] += ` (at ${int(open.records)})`;
}

// The cockpit benches run their measurements in fresh processes (NODE_ENV=production, clean heap).
if (runs('cockpit')) rows.push(...cockpitRows(await runCockpitBenches()));

// CloudTrail .json.gz import (gunzip → parse → normalise → detect → journal) vs gunzip+JSON.parse and jq.
if (runs('import')) rows.push(...importRows(await benchImport()));

// No cliff in the detector: per-event cost on a 1M stream against a 50k one, every cap exceeded.
if (runs('scale')) {
  const s = await benchDetectScale();
  rows.push([
    `detector per event, ${int(s.large)} events`,
    `${s.largeUs.toFixed(2)} µs`,
    `${s.smallUs.toFixed(2)} µs at ${int(s.small)}`,
    ratio(s.largeUs, s.smallUs),
    '≤ 1.2× the 50k cost',
    s.largeUs / s.smallUs <= 1.2,
  ]);
}

printTable(
  rows,
  `summary (${((now() - t0) / 1000).toFixed(0)} s, load average now ${load()}; ratios are measured ÷ baseline, or baseline ÷ measured for rates)`,
);
