// `firebreak import` throughput: CloudTrail S3 log files (.json.gz) gunzipped, parsed, normalised,
// run through the detection rules and journaled by runImport, against two baselines over the SAME
// generated files in the same run:
//   (a) node: readFile + gunzipSync + JSON.parse of each file, touching .Records.length
//       (target: import ≥ 0.5× its records/s);
//   (b) jq:   zcat FILES | jq -c '.Records[]' > /dev/null (target: import faster; skipped if jq
//       or zcat is missing);
//   (c) Python: bench/peer-jsonl.py, gzip + json → JSONL, and the same with orjson (each skipped
//       with a note when python3 or orjson is missing).
// The reader alone (readInputFile: gunzip → records → normalised events, no journal) is also
// timed both ways — whole-file JSON.parse (the default) and the streaming splitter
// (wholeFileMax 0) — so the reading stage's own gain shows apart from the journal's cost.
// ~1% of the records are StopLogging calls, so the detect stage raises (and journals) detections.
//   BENCH_IMPORT_FILES (20)  BENCH_IMPORT_RECORDS_PER_FILE (2500)  BENCH_IMPORT_RUNS (2, best of)
// The data is generated into a temp dir laid out like an S3 CloudTrail export and removed after.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync, gunzipSync } from 'node:zlib';
import { runImport } from '../dist/app/commands/import.js';
import { readInputFile } from '../dist/src/sources/files/read.js';
import { redactSecrets } from '../dist/src/safety/redact.js';
import { normaliseCloudTrailRecord } from '../dist/src/sources/cloudtrail/normalise.js';
import { newIncident } from '../dist/store/open.js';
import { cloudTrailEvent } from './fixtures.js';
import { envInt, int, log, now, ratio, removeDir, tempDir } from './lib.js';

const ACCOUNT = '123456789012';
const DETECT_EVERY = 100; // ~1% of records trigger cloudtrail.trail-tampering

/** CloudTrail record i as it appears in an S3 log file (~1 KB of JSON). */
function record(i) {
  const r = cloudTrailEvent(i).raw;
  // Fields real S3 data events carry that the fixture leaves out, to reach a realistic ~1 KB.
  r.eventCategory = 'Data';
  r.tlsDetails = {
    tlsVersion: 'TLSv1.3',
    cipherSuite: 'TLS_AES_128_GCM_SHA256',
    clientProvidedHostHeader: `${r.requestParameters.bucketName}.s3.${r.awsRegion}.amazonaws.com`,
  };
  r.additionalEventData = {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: 0,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': `${r.requestID}x${r.eventID.replace(/-/g, '')}`,
    bytesTransferredOut: (i * 7919) % 1_000_000,
  };
  r.resources.push({
    accountId: ACCOUNT,
    type: 'AWS::S3::Bucket',
    ARN: `arn:aws:s3:::${r.requestParameters.bucketName}`,
  });
  if (i % DETECT_EVERY === 42) {
    // A distinct trail each time, so every one is its own detection.
    const trail = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/audit-trail-${i}`;
    r.eventSource = 'cloudtrail.amazonaws.com';
    r.eventName = 'StopLogging';
    r.eventCategory = 'Management';
    r.requestParameters = { name: trail };
    r.resources = [{ type: 'AWS::CloudTrail::Trail', ARN: trail }];
    r.readOnly = false;
    r.managementEvent = true;
    delete r.errorCode;
    delete r.errorMessage;
    delete r.additionalEventData;
  }
  return r;
}

/** Writes the .json.gz files; returns their paths, the root to import and the totals. */
function generate(root, files, perFile) {
  const dir = join(root, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2026', '04', '20');
  mkdirSync(dir, { recursive: true });
  const paths = [];
  let jsonBytes = 0;
  let gzBytes = 0;
  for (let f = 0; f < files; f++) {
    const Records = [];
    for (let j = 0; j < perFile; j++) Records.push(record(f * perFile + j));
    const text = JSON.stringify({ Records });
    const gz = gzipSync(text);
    jsonBytes += Buffer.byteLength(text);
    gzBytes += gz.length;
    const hhmm = String(Math.floor((f * 5) / 60) * 100 + ((f * 5) % 60)).padStart(4, '0');
    const p = join(
      dir,
      `${ACCOUNT}_CloudTrail_us-east-1_20260420T${hhmm}Z_${f.toString(36).padStart(16, 'q')}.json.gz`,
    );
    writeFileSync(p, gz);
    paths.push(p);
  }
  return { paths, importRoot: join(root, 'AWSLogs'), records: files * perFile, jsonBytes, gzBytes };
}

/** Baseline (a): read + gunzip + JSON.parse of every file. Best of `runs`. */
function nodeBaseline(paths, runs) {
  let best = Infinity;
  let records = 0;
  for (let r = 0; r < runs + 1; r++) {
    // Run 0 warms up the JIT, as import's first batch does for its own code.
    const t = now();
    let n = 0;
    for (const p of paths) n += JSON.parse(gunzipSync(readFileSync(p)).toString('utf8')).Records.length;
    const elapsed = now() - t;
    if (r > 0) best = Math.min(best, elapsed);
    records = n;
  }
  return { ms: best, records };
}

/** Baseline (b): zcat | jq -c '.Records[]' over all files in one pipeline. Best of `runs`. */
function jqBaseline(paths, runs) {
  if (!has('jq') || !has('zcat')) return undefined;
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = now();
    const res = spawnSync('sh', ['-c', `zcat -- "$@" | jq -c '.Records[]' > /dev/null`, 'sh', ...paths], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const elapsed = now() - t;
    if (res.status !== 0) throw new Error(`jq baseline failed: ${res.stderr}`);
    best = Math.min(best, elapsed);
  }
  const version = spawnSync('jq', ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { ms: best, version };
}

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Peer (c): bench/peer-jsonl.py over all files, stdout to /dev/null. Best of `runs`; undefined if absent. */
function pythonPeer(paths, runs, records, orjson) {
  if (!has('python3')) return { skipped: 'python3 not on PATH' };
  const script = fileURLToPath(new URL('./peer-jsonl.py', import.meta.url));
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = now();
    const res = spawnSync('python3', [script, ...(orjson ? ['--orjson'] : []), ...paths], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    const elapsed = now() - t;
    if (res.status === 3) return { skipped: 'orjson not installed (pip install orjson)' };
    if (res.status !== 0 || Number(res.stderr.trim()) !== records)
      throw new Error(`python peer failed (exit ${res.status}): ${res.stderr.slice(-300)}`);
    best = Math.min(best, elapsed);
  }
  return { ms: best };
}

/** readInputFile over every file (the import's reading stage, no journal). Best of `runs` after a warm-up. */
async function readerCost(paths, runs, wholeFileMax) {
  let best = Infinity;
  let events = 0;
  for (let r = 0; r < runs + 1; r++) {
    const t = now();
    events = 0;
    for (const file of paths) {
      const stats = { file, format: undefined, records: 0, sha256: undefined };
      const opts = {
        discoveredAt: '2026-04-20T15:00:00.000Z',
        ...(wholeFileMax === undefined ? {} : { wholeFileMax }),
      };
      for await (const item of readInputFile(file, stats, opts)) if (item.type === 'event') events++;
    }
    const elapsed = now() - t;
    if (r > 0) best = Math.min(best, elapsed);
  }
  return { ms: best, events };
}

/**
 * The redactor's own cost: redactSecrets on each record's journal payload ({event} with raw), as
 * Journal.seal runs it, over the same files. Best of `runs`, after one warm-up pass.
 */
function redactCost(paths, runs) {
  const payloads = [];
  for (const p of paths) {
    for (const r of JSON.parse(gunzipSync(readFileSync(p)).toString('utf8')).Records) {
      const n = normaliseCloudTrailRecord(r, '2026-04-20T15:00:00.000Z');
      if (n.ok) payloads.push({ event: n.event });
    }
  }
  let best = Infinity;
  let changed = 0;
  for (let r = 0; r < runs + 1; r++) {
    const t = now();
    changed = 0;
    for (const d of payloads) if (redactSecrets(d) !== d) changed++;
    const elapsed = now() - t;
    if (r > 0) best = Math.min(best, elapsed);
  }
  return { ms: best, records: payloads.length, changed };
}

/** runImport into a fresh journal. Best of `runs`. */
async function importRuns(root, importRoot, runs, expected) {
  let best;
  for (let r = 0; r < runs; r++) {
    const journal = join(root, `incident-${r}.jsonl`);
    const opened = await newIncident(journal, {
      incidentId: `INC-2026-${String(900 + r).padStart(3, '0')}`,
      title: 'import bench',
      mode: 'live',
    });
    await opened.journal?.close();
    const t = now();
    const s = await runImport([importRoot], { journal });
    const elapsed = now() - t;
    if (s.imported !== expected || s.problemCount !== 0) {
      throw new Error(
        `import read ${s.records} records, imported ${s.imported}, ${s.problemCount} problems; expected ${expected} imported`,
      );
    }
    if (!best || elapsed < best.ms) best = { ms: elapsed, summary: s };
  }
  return best;
}

export async function benchImport() {
  const files = envInt('BENCH_IMPORT_FILES', 20);
  const perFile = envInt('BENCH_IMPORT_RECORDS_PER_FILE', 2500);
  const runs = envInt('BENCH_IMPORT_RUNS', 2);
  const root = tempDir('import');
  try {
    let t = now();
    const data = generate(root, files, perFile);
    log(
      `\nimport: ${files} files × ${int(perFile)} CloudTrail records = ${int(data.records)} records, ` +
        `${(data.jsonBytes / 1024 / 1024).toFixed(1)} MB JSON (${int(data.jsonBytes / data.records)} B/record), ` +
        `${(data.gzBytes / 1024 / 1024).toFixed(1)} MB gzipped, generated in ${((now() - t) / 1000).toFixed(1)} s`,
    );

    const node = nodeBaseline(data.paths, runs);
    if (node.records !== data.records)
      throw new Error(`baseline parsed ${node.records} records, expected ${data.records}`);
    const nodeRate = (data.records / node.ms) * 1000;
    log(`  baseline gunzip+JSON.parse: ${int(nodeRate)} rec/s (${node.ms.toFixed(0)} ms)`);

    const jq = jqBaseline(data.paths, runs);
    const jqRate = jq ? (data.records / jq.ms) * 1000 : NaN;
    log(
      jq
        ? `  baseline zcat | jq -c '.Records[]' (${jq.version}): ${int(jqRate)} rec/s (${jq.ms.toFixed(0)} ms)`
        : '  jq baseline skipped: jq or zcat not on PATH',
    );

    const rate = (x) => (data.records / x) * 1000;
    const py = pythonPeer(data.paths, runs, data.records, false);
    const pyo = pythonPeer(data.paths, runs, data.records, true);
    for (const [label, p] of [
      ['python3 gzip + json → JSONL', py],
      ['python3 gzip + orjson → JSONL', pyo],
    ])
      log(
        p.skipped
          ? `  peer ${label} skipped: ${p.skipped}`
          : `  peer ${label}: ${int(rate(p.ms))} rec/s (${p.ms.toFixed(0)} ms)`,
      );

    const whole = await readerCost(data.paths, runs, undefined);
    const split = await readerCost(data.paths, runs, 0);
    if (whole.events !== data.records || split.events !== data.records)
      throw new Error(`reader read ${whole.events} / ${split.events} events, expected ${data.records}`);
    log(
      `  reader alone (gunzip → normalised events): whole-file ${int(rate(whole.ms))} rec/s, ` +
        `streaming splitter ${int(rate(split.ms))} rec/s → ${(split.ms / whole.ms).toFixed(2)}× faster whole`,
    );

    t = now();
    const imp = await importRuns(root, data.importRoot, runs, data.records);
    const impRate = (data.records / imp.ms) * 1000;
    const s = imp.summary;
    log(
      `  firebreak import: ${int(impRate)} rec/s (${imp.ms.toFixed(0)} ms best of ${runs}); ` +
        `${int(s.imported)} imported from ${s.files} files, ${int(s.detections ?? 0)} detections, ${s.skipped.length} skip groups`,
    );
    const red = redactCost(data.paths, runs);
    log(
      `  redaction alone: ${int((red.records / red.ms) * 1000)} rec/s, ${((red.ms * 1000) / red.records).toFixed(1)} µs/record ` +
        `(${((red.ms / imp.ms) * 100).toFixed(1)} % of import's time; ${int(red.changed)} records masked)`,
    );
    const pyRate = py.ms ? rate(py.ms) : NaN;
    const pyoRate = pyo.ms ? rate(pyo.ms) : NaN;
    log(
      `  ratios (import rate ÷ peer rate): node baseline ${(impRate / nodeRate).toFixed(2)}×` +
        (jq ? `, jq ${(impRate / jqRate).toFixed(2)}×` : '') +
        (py.ms ? `, python json ${(impRate / pyRate).toFixed(2)}×` : '') +
        (pyo.ms ? `, python orjson ${(impRate / pyoRate).toFixed(2)}×` : ''),
    );
    return {
      records: data.records,
      files,
      importRate: impRate,
      nodeRate,
      jqRate,
      jq: jq !== undefined,
      pyRate,
      pyoRate,
      readerWholeRate: rate(whole.ms),
      readerSplitRate: rate(split.ms),
      detections: s.detections ?? 0,
      redactUsPerRecord: (red.ms * 1000) / red.records,
    };
  } finally {
    removeDir(root);
  }
}

/**
 * Summary rows for bench/run.js's table. As for the table's other rates, the ratio column is
 * baseline ÷ measured, so import at half the baseline's rate reads 2.00×.
 */
export function importRows(r) {
  const rate = (x) => `${int(x)} rec/s`;
  const label = `import ${int(r.records)} CT records (.json.gz)`;
  return [
    [
      label,
      rate(r.importRate),
      `${rate(r.nodeRate)} gunzip+JSON.parse`,
      ratio(r.nodeRate, r.importRate),
      '≥ 0.5× baseline rate (≤ 2.00×)',
      r.importRate / r.nodeRate >= 0.5,
    ],
    r.jq
      ? [
          label,
          rate(r.importRate),
          `${rate(r.jqRate)} zcat | jq -c .Records[]`,
          ratio(r.jqRate, r.importRate),
          'faster than jq (< 1.00×)',
          r.importRate > r.jqRate,
        ]
      : [label, rate(r.importRate), 'jq not installed', 'n/a', 'faster than jq (< 1.00×)', undefined],
    [
      label,
      rate(r.importRate),
      Number.isFinite(r.pyRate) ? `${rate(r.pyRate)} python gzip+json → JSONL` : 'python3 not installed',
      ratio(r.pyRate, r.importRate),
      'faster than python (< 1.00×)',
      Number.isFinite(r.pyRate) ? r.importRate > r.pyRate : undefined,
    ],
    [
      label,
      rate(r.importRate),
      Number.isFinite(r.pyoRate) ? `${rate(r.pyoRate)} python gzip+orjson → JSONL` : 'orjson not installed',
      ratio(r.pyoRate, r.importRate),
      'faster than python+orjson (< 1.00×)',
      Number.isFinite(r.pyoRate) ? r.importRate > r.pyoRate : undefined,
    ],
    [
      'import reading stage (no journal)',
      rate(r.readerWholeRate),
      `${rate(r.readerSplitRate)} streaming splitter`,
      ratio(r.readerSplitRate, r.readerWholeRate),
      '—',
      undefined,
    ],
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchImport();
  const rows = importRows(r);
  for (const row of rows)
    log(
      `${row[0]}: ${row[1]} vs ${row[2]} → baseline÷measured ${row[3]} (target ${row[4]}) ${row[5] === undefined ? 'n/a' : row[5] ? 'PASS' : 'MISS'}`,
    );
}
