// Runs one side of the open benchmark in a fresh process, so its peak RSS is its own:
//   node bench/open-child.js baseline FILE  — read in chunks, split lines, JSON.parse + SHA-256 each
//   node bench/open-child.js open FILE      — openIncident(FILE, {readOnly: true})
//   node bench/open-child.js verify FILE    — verifyJournal(FILE) (what `firebreak verify` runs)
// Prints one JSON line: wall time, records, peak RSS, and the heap still held after a full GC.

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { openIncident } from '../dist/store/open.js';
import { verifyJournal } from '../dist/src/journal/verify.js';

const CHUNK = 4 * 1024 * 1024; // the chunk size scanJournal reads with

async function baseline(file) {
  const fh = await open(file, 'r');
  let buf = Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  let records = 0;
  let check = 0;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
      filled += bytesRead;
      let pos = 0;
      for (let nl = buf.indexOf(0x0a, pos); nl !== -1 && nl < filled; nl = buf.indexOf(0x0a, pos)) {
        const line = buf.subarray(pos, nl);
        const hash = createHash('sha256').update(line).digest('hex');
        const parsed = JSON.parse(line.toString('utf8'));
        check += parsed.seq + hash.length;
        records++;
        pos = nl + 1;
      }
      if (bytesRead === 0) break;
      buf.copy(buf, 0, pos, filled);
      filled -= pos;
      if (filled === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafe(buf.length)]);
    }
  } finally {
    await fh.close();
  }
  return { records, check };
}

async function openReadOnly(file) {
  const opened = await openIncident(file, { readOnly: true });
  const s = opened.store.getState().state;
  return { records: opened.scan.records, events: s.events.length, timeline: s.timeline.length, keep: opened };
}

const [mode, file] = process.argv.slice(2);
async function verify(file) {
  const r = await verifyJournal(file);
  if (!r.ok) throw new Error(r.message);
  return { records: r.scan.records };
}

const run = { baseline, open: openReadOnly, verify }[mode];
if (!run || !file) {
  process.stderr.write('usage: open-child.js baseline|open|verify FILE\n');
  process.exit(2);
}
const t0 = performance.now();
const result = await run(file);
const ms = performance.now() - t0;
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
globalThis.gc?.();
const heapAfterGc = process.memoryUsage().heapUsed;
const { keep, ...shown } = result;
process.stdout.write(JSON.stringify({ mode, ms, maxRssBytes, heapAfterGc, kept: keep !== undefined, ...shown }) + '\n');
