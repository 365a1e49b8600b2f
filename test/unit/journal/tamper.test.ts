// Any single-byte change, deleted, inserted, duplicated or reordered record is caught by verify,
// which names the right seq (the first position where the journal stops being the one written).

import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../../src/journal/journal.js';
import { verifyJournal } from '../../../src/journal/verify.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const N = 40;
let original: Buffer;
let lines: string[];
const dir = mkdtempSync(join(tmpdir(), 'fb-tamper-'));
const file = join(dir, 'j.jsonl');

beforeAll(async () => {
  const j = await Journal.create(join(dir, 'src.jsonl'), {
    incidentId: 'INC-2026-042',
    title: 'tamper',
    mode: 'drill',
  });
  // A severity change is followed by a checkpoint: both kinds of line are tampered with below.
  for (let i = 2; j.health.records < N; i++) {
    if (i % 3 === 0 && j.health.records < N - 1) await j.append('severity.set', { level: (i % 4) as 0 | 1 | 2 | 3 });
    else await j.append('note.added', { text: `note ${i}: ünïcödé ✓ and "quotes"` });
  }
  await j.close();
  original = readFileSync(join(dir, 'src.jsonl'));
  lines = original.toString('utf8').split('\n').slice(0, -1);
  expect(lines).toHaveLength(N);
  expect(lines.filter((l) => l.includes('"type":"checkpoint"')).length).toBeGreaterThan(5);
});

/** Which line (1-based) holds byte `i`. */
function lineOf(buf: Buffer, i: number): number {
  let n = 1;
  for (let k = 0; k < i; k++) if (buf[k] === 0x0a) n++;
  return n;
}

async function verifyBytes(b: Buffer) {
  writeFileSync(file, b);
  return verifyJournal(file);
}

describe('tamper evidence', () => {
  it('the untouched journal verifies', async () => {
    expect((await verifyBytes(original)).ok).toBe(true);
  });

  it('any single-byte change is caught and the seq of its line is named', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(original.length - 1), fc.integer({ min: 1, max: 255 }), async (pos, xor) => {
        const b = Buffer.from(original);
        b[pos] = b[pos]! ^ xor;
        const v = await verifyBytes(b);
        expect(v.ok).toBe(false);
        expect(v.seq).toBe(lineOf(original, pos));
      }),
      { numRuns: 300 },
    );
  });

  const rebuild = (ls: string[]) => Buffer.from(ls.join('\n') + '\n');

  it('a deleted record is named by the seq that went missing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: N }), async (seq) => {
        const ls = lines.filter((_, i) => i !== seq - 1);
        const v = await verifyBytes(rebuild(ls));
        if (seq === N) {
          // Deleting the last record leaves a valid shorter journal: only an exported checkpoint
          // can reveal that. Verify must still be consistent.
          expect(v.ok).toBe(true);
          expect(v.scan.records).toBe(N - 1);
        } else {
          expect(v.ok).toBe(false);
          expect(v.seq).toBe(seq);
        }
      }),
      { numRuns: N },
    );
  });

  it('an inserted, duplicated or reordered record is named by its position', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: N - 1 }),
        fc.constantFrom('insert', 'duplicate', 'swap'),
        async (at, how) => {
          const ls = [...lines];
          if (how === 'insert') ls.splice(at, 0, lines[at - 1]!.replace(/"seq":\d+/, `"seq":${at + 1}`));
          if (how === 'duplicate') ls.splice(at, 0, lines[at - 1]!);
          if (how === 'swap') [ls[at - 1], ls[at]] = [ls[at]!, ls[at - 1]!];
          const v = await verifyBytes(rebuild(ls));
          expect(v.ok).toBe(false);
          expect(v.seq).toBe(how === 'swap' ? at : at + 1);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('a record rewritten with a recomputed hash still breaks the chain at the next record', async () => {
    const { sealLine } = await import('../../../src/journal/chain.js');
    const { canonicalRecord } = await import('../../../src/journal/canonical.js');
    const rec = JSON.parse(lines[4]!) as Record<string, unknown>;
    const forged = sealLine(
      canonicalRecord({ ...(rec as never), data: { text: 'nothing happened' }, type: 'note.added' }),
    ).line;
    const ls = [...lines];
    ls[4] = forged;
    const v = await verifyBytes(rebuild(ls));
    expect(v.ok).toBe(false);
    expect(v.seq).toBe(6);
    expect(v.message).toMatch(/chain broken/);
  });
});
