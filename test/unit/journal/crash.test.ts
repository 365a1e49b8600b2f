// kill -9 durability: a child appends records and is SIGKILLed
// at ≥ 200 random moments; every record it acknowledged must survive, in order, and the chain
// must verify after each recovery. Half the runs are imports (group-committed batches) with
// poison records mixed in, which must be rejected alone without breaking the chain.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanJournal } from '../../../src/journal/scan.js';
import { verifyJournal } from '../../../src/journal/verify.js';

const DIST = resolve(__dirname, '../../../dist');
const CHILD = resolve(__dirname, '../../fixtures/crash-writer.mjs');
const KILLS = Number(process.env.CRASH_KILLS ?? 200);

function runUntilKilled(file: string, run: number, killAfterMs: number): Promise<Map<number, string>> {
  return new Promise((done, fail) => {
    const acks = new Map<number, string>();
    const child = spawn(process.execPath, [CHILD, file, String(run), DIST], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === 'ready' && !timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        const m = /^ack (\d+) (.*)$/.exec(line);
        if (m) acks.set(Number(m[1]), m[2]!);
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') done(acks);
      else fail(new Error(`child exited ${code} before it was killed: ${err}`));
    });
  });
}

describe('kill -9 at random points', () => {
  it(`loses no acknowledged record over ${KILLS} kills and always verifies after recovery`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-crash-'));
    const file = join(dir, 'incident.jsonl');
    try {
      const acked = new Map<number, string>();
      for (let run = 0; run < KILLS; run++) {
        // Mostly very early kills (mid-write, mid-sync) with some longer runs.
        // Import runs (odd) group-commit after up to GROUP_DELAY_MS, so they get a little longer.
        const delay =
          run % 10 === 0 ? 40 + Math.random() * 60 : run % 2 === 1 ? 10 + Math.random() * 40 : Math.random() * 15;
        for (const [seq, text] of await runUntilKilled(file, run, delay)) acked.set(seq, text);
      }
      // Recovery happens on the next open for writing; verify what is on disk now, then recover.
      const onDisk = new Map<number, string>();
      const scan = await scanJournal(file, ({ record }) => {
        if (record.type === 'note.added') onDisk.set(record.seq, record.data.text);
      });
      expect(scan.failure).toBeUndefined();
      expect(acked.size).toBeGreaterThan(KILLS);
      // Both kinds of writer were killed and acknowledged records.
      expect([...acked.values()].some((t) => t.includes(' batch '))).toBe(true);
      expect([...acked.values()].some((t) => t.includes(' note '))).toBe(true);
      for (const [seq, text] of acked) {
        expect(onDisk.get(seq), `acknowledged seq ${seq} lost`).toBeDefined();
        expect(onDisk.get(seq)!.startsWith(text)).toBe(true);
      }
      const v = await verifyJournal(file);
      // Either intact, or only an unacknowledged torn tail after the last kill.
      if (!v.ok) {
        expect(v.scan.torn).toBeDefined();
        expect(acked.has(v.scan.torn!.seq)).toBe(false);
      }
      // Each restart moved any torn tail aside rather than dropping it.
      const sides = readdirSync(dir).filter((f) => f.includes('.torn-'));
      for (const s of sides) expect(existsSync(join(dir, s))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
