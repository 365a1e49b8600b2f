// Target 2: group-commit throughput of event.ingested records (CloudTrail-shaped IncidentEvents).
// A producer faster than the disk hands batches to the journal without waiting for each to be
// durable (as a burst of look-back ingest does); the clock stops when the last record is durable.
//
// Baseline, same records, same directory: JSON.stringify + SHA-256 per record, written in 4 MB
// chunks with one fdatasync each — the least any hashed, durable JSONL writer can do.
//
// Then where the journal's time goes: each stage of Journal.build timed per record over the same
// records (redaction, zod validation, the bounds check, JSON.stringify of the v2 line, encoding and
// hashing it), and a V8 CPU profile of one more ingest of the same records, attributed to those
// functions (inclusive time) and to the GC.

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { genesisHash, sealHead } from '../dist/src/journal/chain.js';
import { assertStorable, recordHead } from '../dist/src/journal/format.js';
import { Journal } from '../dist/src/journal/journal.js';
import { validateData } from '../dist/src/journal/records.js';
import { redactSecrets } from '../dist/src/safety/redact.js';
import { cloudTrailEvent } from './fixtures.js';
import { envInt, int, log, ms, now, ratio, removeDir, tempDir } from './lib.js';

const OPENED = { incidentId: 'INC-2025-0002', title: 'Bench: group commit', mode: 'drill' };
const TS = '2025-03-14T10:00:00.000Z';

function makeItems(n) {
  const items = new Array(n);
  for (let i = 0; i < n; i++) items[i] = { type: 'event.ingested', data: { event: cloudTrailEvent(i) }, ts: TS };
  return items;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** appendMany per batch, not awaited per batch; resolves when every record is durable. */
async function ingestMany(journal, items, batch) {
  const acks = [];
  let sealMs = 0;
  for (let i = 0; i < items.length; i += batch) {
    const t0 = now();
    acks.push(journal.appendMany(items.slice(i, i + batch), 'group'));
    sealMs += now() - t0;
    await tick(); // let writes and syncs proceed while the producer continues
  }
  await Promise.all(acks);
  return sealMs;
}

/** append(…, {durability: 'group'}) per record; yields to I/O every `batch` records. */
async function ingestEach(journal, items, batch) {
  const acks = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    acks[i] = journal.append(it.type, it.data, { durability: 'group', ts: it.ts });
    if (i % batch === batch - 1) await tick();
  }
  await Promise.all(acks);
}

async function timedJournal(dir, name, run) {
  const journal = await Journal.create(join(dir, name), OPENED, { actor: 'bench' });
  const t0 = now();
  const extra = await run(journal);
  const wall = now() - t0;
  await journal.close();
  return { wall, extra };
}

/** The floor: stringify + sha256 each record, write 4 MB chunks, fdatasync each chunk. */
async function baseline(file, items) {
  const fh = await open(file, 'ax', 0o600);
  const t0 = now();
  let parts = [];
  let size = 0;
  let prev = genesisHash(OPENED.incidentId);
  const flush = async () => {
    const buf = Buffer.from(parts.join(''), 'utf8');
    parts = [];
    size = 0;
    for (let off = 0; off < buf.length;) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
    await fh.datasync();
  };
  for (let i = 0; i < items.length; i++) {
    const body = JSON.stringify({ seq: i + 2, ts: TS, type: 'event.ingested', data: items[i].data, prev });
    prev = createHash('sha256').update(body).digest('hex');
    const line = `${body.slice(0, -1)},"hash":"${prev}"}\n`;
    parts.push(line);
    size += line.length;
    if (size >= 4 * 1024 * 1024) await flush();
  }
  if (size) await flush();
  const wall = now() - t0;
  await fh.close();
  return wall;
}

/**
 * Each stage of Journal.build, in the same order and on the same records, timed per record in one
 * loop (timing each stage as its own loop over all records distorts it: a million held strings
 * make the GC and the later stage pay for them).
 */
function stageBreakdown(items) {
  const names = ['redactSecrets', 'validateData (zod)', 'assertStorable', 'stringify (v2 line)', 'sealHead (utf8+sha)'];
  const acc = new Float64Array(names.length);
  let prev = genesisHash(OPENED.incidentId);
  let bytes = 0;
  const t0 = now();
  for (let i = 0; i < items.length; i++) {
    const a = now();
    const redacted = redactSecrets(items[i].data);
    const b = now();
    const data = validateData('event.ingested', redacted).data;
    const c = now();
    assertStorable(data);
    const d = now();
    const head = recordHead(i + 2, TS, 'event.ingested', 'bench', JSON.stringify(data), prev);
    const e = now();
    const sealed = sealHead(head);
    const f = now();
    bytes += sealed.bytes.length;
    prev = sealed.hash;
    acc[0] += b - a;
    acc[1] += c - b;
    acc[2] += d - c;
    acc[3] += e - d;
    acc[4] += f - e;
  }
  return { stages: names.map((name, i) => ({ name, ms: acc[i] })), loopMs: now() - t0, bytes };
}

// ---- CPU profile -------------------------------------------------------------------------

const PROFILED = [
  'redactSecrets',
  'validateData',
  'assertStorable',
  'recordHead',
  'sealHead',
  'build',
  'enqueue',
  'flushNow',
];

/** Inclusive time of the outermost frame of each profiled function, plus GC, from a profile. */
function attribute(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const total = (n) => (self.get(n.id) ?? 0) + (n.children ?? []).reduce((s, c) => s + total(byId.get(c)), 0);
  const fns = Object.fromEntries(PROFILED.map((f) => [f, 0]));
  let gc = 0;
  let busy = 0;
  const visit = (n, inside) => {
    const f = n.callFrame.functionName;
    const t = self.get(n.id) ?? 0;
    if (f === '(garbage collector)') gc += t;
    if (f !== '(idle)' && f !== '(program)') busy += t;
    // Attribute each profiled function's subtree once, at its outermost frame (walk recursion).
    const mine = PROFILED.includes(f) && !inside.has(f);
    if (mine) fns[f] += total(n);
    const next = mine ? new Set([...inside, f]) : inside;
    for (const c of n.children ?? []) visit(byId.get(c), next);
  };
  visit(byId.get(profile.nodes[0].id), new Set());
  return { fns, gc, busy };
}

/** A V8 CPU profile (what --cpu-prof writes) of one more appendMany ingest of the same records. */
async function profileIngest(dir, items, batch) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 250 });
    await session.post('Profiler.start');
    const { wall } = await timedJournal(dir, 'prof.jsonl', (j) => ingestMany(j, items, batch));
    const { profile } = await session.post('Profiler.stop');
    return { wall, ...attribute(profile) };
  } finally {
    session.disconnect();
  }
}

// ---- the benchmark ------------------------------------------------------------------------

export async function benchGroupCommit({ records = envInt('BENCH_INGEST', 100_000), batch = 1000 } = {}) {
  const dir = tempDir('group');
  try {
    const items = makeItems(records);
    const warm = items.slice(0, 10_000);
    await timedJournal(dir, 'warm-many.jsonl', (j) => ingestMany(j, warm, batch));
    await timedJournal(dir, 'warm-each.jsonl', (j) => ingestEach(j, warm, batch));
    await baseline(join(dir, 'warm-plain.jsonl'), warm);

    // The baseline runs before and after the journal and the faster run counts: it is the floor,
    // and other load on the machine should not flatter the journal's ratio.
    const before = await baseline(join(dir, 'plain-1.jsonl'), items);
    const many = await timedJournal(dir, 'many.jsonl', (j) => ingestMany(j, items, batch));
    const each = await timedJournal(dir, 'each.jsonl', (j) => ingestEach(j, items, batch));
    const base = Math.min(before, await baseline(join(dir, 'plain-2.jsonl'), items));
    const stages = stageBreakdown(items);
    const prof = await profileIngest(dir, items, batch);

    const rate = (wall) => (records / wall) * 1000;
    const perRec = (x) => ((x * 1000) / records).toFixed(2).padStart(6);
    const share = (x, of) => `${((x / of) * 100).toFixed(0)}%`.padStart(4);
    const r = {
      records,
      bytesPerRecord: stages.bytes / records,
      rawBytes: JSON.stringify(items[0].data.event.raw).length,
      appendMany: rate(many.wall),
      appendGroup: rate(each.wall),
      baseline: rate(base),
      stages: stages.stages,
      profile: { ...prof.fns, gc: prof.gc, busy: prof.busy },
    };
    const mbs = (wall) => `${((stages.bytes / 1024 / 1024 / wall) * 1000).toFixed(0)} MB/s`;
    log(
      `\n[2] group commit — ${int(records)} event.ingested records (raw ${r.rawBytes} B, line ${r.bytesPerRecord.toFixed(0)} B), batches of ${batch}`,
    );
    log(
      `    appendMany(…, 'group')          ${int(r.appendMany).padStart(8)} records/s  ${mbs(many.wall)}  (${ms(many.wall)}; synchronous seal ${share(many.extra, many.wall).trim()} of it)`,
    );
    log(
      `    append(…, {durability:'group'}) ${int(r.appendGroup).padStart(8)} records/s  ${mbs(each.wall)}  (${ms(each.wall)})`,
    );
    log(
      `    baseline stringify+sha256+write ${int(r.baseline).padStart(8)} records/s  ${mbs(base)}  (${ms(base)}, faster of 2; 4 MB chunks, fdatasync each)`,
    );
    log(`    ratio journal time / baseline   appendMany ${ratio(many.wall, base)}  append ${ratio(each.wall, base)}`);
    const sum = stages.stages.reduce((a, x) => a + x.ms, 0);
    log(`    where appendMany's ${perRec(many.wall).trim()} µs/record go (each stage timed per record, same records):`);
    for (const st of stages.stages)
      log(
        `      ${st.name.padEnd(20)} ${perRec(st.ms)} µs/rec  ${share(st.ms, many.wall)} of journal time  ${share(st.ms, sum)} of seal stages`,
      );
    log(
      `      ${'rest (enqueue, I/O, GC)'.padEnd(20)} ${perRec(many.wall - sum)} µs/rec  ${share(many.wall - sum, many.wall)}`,
    );
    const p = prof;
    log(`    CPU profile of one more appendMany ingest (${ms(p.wall)}; inclusive, share of ${ms(p.busy)} busy CPU):`);
    log(
      `      redactSecrets ${share(p.fns.redactSecrets, p.busy)}  validateData ${share(p.fns.validateData, p.busy)}  assertStorable ${share(p.fns.assertStorable, p.busy)}` +
        `  recordHead ${share(p.fns.recordHead, p.busy)}  sealHead ${share(p.fns.sealHead, p.busy)}  enqueue ${share(p.fns.enqueue, p.busy)}  flushNow ${share(p.fns.flushNow, p.busy)}  GC ${share(p.gc, p.busy)}  (all of build ${share(p.fns.build, p.busy).trim()})`,
    );
    return r;
  } finally {
    removeDir(dir);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchGroupCommit();
