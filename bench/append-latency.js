// Target 1: durable append latency. Journal.append with the default 'sync' durability, one
// ~300-byte note at a time, awaited before the next (a responder's keystrokes). Baseline: the
// same number of bytes written with FileHandle.write + datasync on a plain file in the same
// directory — the floor any durable append on this disk must pay. The two are interleaved so
// disk noise (other tenants, ext4 journal commits) hits both alike.

import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Journal } from '../dist/src/journal/journal.js';
import { noteText } from './fixtures.js';
import { envInt, log, ms, now, percentile, ratio, removeDir, tempDir } from './lib.js';

const OPENED = { incidentId: 'INC-2025-0001', title: 'Bench: durable append latency', mode: 'drill' };

export async function benchAppendLatency({ appends = envInt('BENCH_APPENDS', 2000), warmup = 50 } = {}) {
  const dir = tempDir('append');
  try {
    const journal = await Journal.create(join(dir, 'incident.jsonl'), OPENED, { actor: 'bench' });
    const raw = await open(join(dir, 'plain.bin'), 'a', 0o600);
    const journalMs = [];
    const rawMs = [];
    let lineBytes = 0;
    try {
      for (let i = -warmup; i < appends; i++) {
        const t0 = now();
        const placed = await journal.append('note.added', { text: noteText(i + warmup) });
        const t1 = now();
        // The same byte count the journal just wrote (line + newline), through the same API.
        const bytes = Buffer.alloc(placed.length + 1, 0x61);
        const t2 = now();
        await raw.write(bytes, 0, bytes.length);
        await raw.datasync();
        const t3 = now();
        if (i < 0) continue;
        journalMs.push(t1 - t0);
        rawMs.push(t3 - t2);
        lineBytes += placed.length + 1;
      }
    } finally {
      await journal.close();
      await raw.close();
    }
    const r = {
      appends,
      avgBytes: lineBytes / appends,
      journal: { p50: percentile(journalMs, 50), p99: percentile(journalMs, 99), max: Math.max(...journalMs) },
      raw: { p50: percentile(rawMs, 50), p99: percentile(rawMs, 99), max: Math.max(...rawMs) },
    };
    log(
      `\n[1] durable append latency — ${appends} sequential 'sync' appends of ~${r.avgBytes.toFixed(0)}-byte note records`,
    );
    log(`    Journal.append       p50 ${ms(r.journal.p50)}  p99 ${ms(r.journal.p99)}  max ${ms(r.journal.max)}`);
    log(
      `    write+fdatasync      p50 ${ms(r.raw.p50)}  p99 ${ms(r.raw.p99)}  max ${ms(r.raw.max)}   (baseline, same bytes, same dir)`,
    );
    log(`    ratio journal/raw    p50 ${ratio(r.journal.p50, r.raw.p50)}  p99 ${ratio(r.journal.p99, r.raw.p99)}`);
    return r;
  } finally {
    removeDir(dir);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAppendLatency();
