// Target 3: open + verify + fold of a large journal (default 1M records; BENCH_RECORDS=100000 to
// scale down). Baseline, in a fresh process on the same file: read it in chunks, split lines,
// JSON.parse and SHA-256 each line — what any reader of a hashed JSONL file must do. Then
// openIncident(file, {readOnly: true}) in a fresh process: read, verify the chain, validate every
// record and fold it into the store; its peak RSS is the memory figure. jq is an outside
// reference: it runs on a prefix of the file (it is far slower than either) unless BENCH_JQ_FULL=1.

import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateJournal } from './gen-journal.js';
import { envInt, int, log, mb, ms, now, ratio, removeDir, tempDir, trackChild } from './lib.js';

const CHILD = fileURLToPath(new URL('./open-child.js', import.meta.url));

/** Runs open-child.js (asynchronously, so Ctrl-C still cleans up) and parses its JSON line. */
function child(mode, file) {
  return new Promise((resolve, reject) => {
    const p = trackChild(
      spawn(process.execPath, ['--expose-gc', CHILD, mode, file], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`open-child ${mode} failed (${code}): ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}

/** jq -c . over the first `lines` lines (or the whole file); undefined when jq is not installed. */
async function jq(file, lines, full) {
  const probe = spawnSync('jq', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  const cmd = full ? `jq -c . "$1" > /dev/null` : `head -n "$2" "$1" | jq -c . > /dev/null`;
  const version = probe.stdout.trim();
  return new Promise((resolve) => {
    const t0 = now();
    const p = trackChild(
      spawn('sh', ['-c', cmd, 'sh', file, String(lines)], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 }),
    );
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', (e) => resolve({ version, failed: e.message }));
    p.on('close', (code, signal) => {
      const wall = now() - t0;
      resolve(code === 0 ? { version, ms: wall, lines } : { version, failed: err.trim() || `exit ${code ?? signal}` });
    });
  });
}

export async function benchOpen({
  records = envInt('BENCH_RECORDS', 1_000_000),
  jqLines = envInt('BENCH_JQ_RECORDS', 100_000),
} = {}) {
  const dir = tempDir('open');
  try {
    const file = join(dir, 'incident.jsonl');
    const g0 = now();
    const counts = await generateJournal(file, records);
    const genMs = now() - g0;
    const bytes = statSync(file).size;

    const base = await child('baseline', file);
    const opened = await child('open', file);
    const verified = await child('verify', file);
    if (base.records !== records || opened.records !== records || verified.records !== records) {
      throw new Error(
        `record counts differ: generated ${records}, baseline read ${base.records}, open verified ${opened.records}`,
      );
    }
    const full = process.env.BENCH_JQ_FULL === '1';
    const j = await jq(file, Math.min(jqLines, records), full || jqLines >= records);

    const perRec = (t) => `${((t * 1000) / records).toFixed(2)} µs/rec`;
    log(
      `\n[3] open + verify + fold — ${int(records)} records, ${mb(bytes)} (generated in ${ms(genMs)}: ${int(counts['event.ingested'] ?? 0)} events, ` +
        `${int(counts['note.added'] ?? 0)} notes, ${int(records - (counts['event.ingested'] ?? 0) - (counts['note.added'] ?? 0))} other)`,
    );
    log(
      `    baseline read+split+JSON.parse+sha256  ${ms(base.ms).padStart(10)}  ${perRec(base.ms)}  peak RSS ${mb(base.maxRssBytes)}`,
    );
    log(
      `    openIncident(readOnly)                 ${ms(opened.ms).padStart(10)}  ${perRec(opened.ms)}  peak RSS ${mb(opened.maxRssBytes)}  ` +
        `(heap held after GC ${mb(opened.heapAfterGc)}; ${int(opened.events)} events, ${int(opened.timeline)} timeline entries)`,
    );
    log(
      `    verifyJournal (firebreak verify)       ${ms(verified.ms).padStart(10)}  ${perRec(verified.ms)}  peak RSS ${mb(verified.maxRssBytes)}`,
    );
    log(`    ratio open / baseline                  ${ratio(opened.ms, base.ms)}`);
    log(`    ratio verify / baseline                ${ratio(verified.ms, base.ms)}`);
    let jqMs;
    if (!j) log('    jq: not installed, skipped');
    else if (j.failed) log(`    jq: failed (${j.failed.trim()}), skipped`);
    else {
      jqMs = (j.ms / j.lines) * records;
      const what = j.lines === records ? 'whole file' : `first ${int(j.lines)} lines, scaled to ${int(records)}`;
      log(
        `    ${j.version} -c . > /dev/null         ${ms(jqMs).padStart(10)}  ${perRec(jqMs)}  (${what}; open is ${ratio(jqMs, opened.ms)} faster)`,
      );
    }
    return {
      records,
      bytes,
      genMs,
      baselineMs: base.ms,
      openMs: opened.ms,
      verifyMs: verified.ms,
      baselineRss: base.maxRssBytes,
      openRss: opened.maxRssBytes,
      heapAfterGc: opened.heapAfterGc,
      jqMs,
    };
  } finally {
    removeDir(dir);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchOpen();
