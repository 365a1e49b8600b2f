// A batch is sealed completely before the writer's position moves: poison items (Infinity from
// JSON.parse('1e999'), nesting thousands of levels deep, wrong shapes) are rejected alone and
// the journal on disk always verifies, with the writer's counters equal to a fresh reopen.

import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Journal, type BatchItem } from '../../../src/journal/journal.js';
import { verifyJournal } from '../../../src/journal/verify.js';
import { canonicalJson, CanonicalJsonError, MAX_DEPTH } from '../../../src/journal/canonical.js';
import { tempDir } from '../../helpers/tmp.js';

const OPENED = { incidentId: 'INC-2026-042', title: 'Atomic batches', mode: 'drill' as const };

function deep(levels: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

const POISONS: (() => BatchItem)[] = [
  () => ({
    type: 'drill.scored',
    data: { scenario: 's', metrics: [], passed: JSON.parse('1e999') as number, total: 1 },
  }),
  () => ({
    type: 'action.succeeded',
    data: { actionId: 'act-abcdef', requestIds: [], outputs: { n: JSON.parse('1e999') as number }, message: 'm' },
  }),
  () => ({
    type: 'action.succeeded',
    data: { actionId: 'act-abcdef', requestIds: [], outputs: { deep: deep(5000) }, message: 'm' },
  }),
  () => ({ type: 'note.added', data: { text: '' } }),
];

const good = (i: number): BatchItem => ({ type: 'note.added', data: { text: `note ${i}` } });

describe('atomic batches', () => {
  it('rejects a poison item alone, with its reason, and writes the rest without a gap', async () => {
    const file = join(tempDir(), 'j.jsonl');
    const j = await Journal.create(file, OPENED, { actor: 't' });
    const placed = await j.appendMany([good(1), POISONS[0]!(), good(2), POISONS[2]!(), good(3)]);
    expect(placed.map((p) => p.record.seq)).toEqual([2, 3, 4]);
    expect(placed.rejected.map((r) => r.index)).toEqual([1, 3]);
    expect(placed.rejected[0]!.reason).toMatch(/non-finite|Infinity|number/i);
    expect(placed.rejected[1]!.reason).toMatch(/nested/);
    const after = await j.append('note.added', { text: 'after' });
    expect(after.record.seq).toBe(5);
    await j.close();
    const v = await verifyJournal(file);
    expect(v.message).toContain('OK');
    expect(v.scan.records).toBe(5);
  });

  it('property: poison at random positions in random batches never breaks the chain', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.option(fc.integer({ min: 0, max: POISONS.length - 1 }), { freq: 2 }), { maxLength: 8 }), {
          minLength: 1,
          maxLength: 5,
        }),
        async (batches) => {
          const file = join(tempDir(), 'j.jsonl');
          const j = await Journal.create(file, OPENED, { actor: 't' });
          let expected = 1;
          let n = 0;
          for (const batch of batches) {
            const items = batch.map((p) => (p === null ? good(n++) : POISONS[p]!()));
            const placed = await j.appendMany(items);
            const poisons = batch.filter((p) => p !== null).length;
            expect(placed.rejected).toHaveLength(poisons);
            expect(placed).toHaveLength(batch.length - poisons);
            for (const p of placed) expect(p.record.seq).toBe(++expected);
          }
          const health = j.health;
          await j.close();
          const v = await verifyJournal(file);
          expect(v.ok).toBe(true);
          expect(v.scan.records).toBe(health.records);
          expect(v.scan.head).toBe(health.head);
          const re = await Journal.open(file, () => {});
          expect(re.journal.health.records).toBe(health.records);
          const next = await re.journal.append('note.added', { text: 'reopened' });
          expect(next.offset).toBe(v.scan.goodBytes);
          await re.journal.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('bounded canonical JSON', () => {
  it('refuses nesting deeper than MAX_DEPTH with a clear error, not a stack overflow', () => {
    expect(() => canonicalJson(deep(100_000))).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(deep(MAX_DEPTH + 1))).toThrow(/nested more than 256/);
    expect(canonicalJson(deep(MAX_DEPTH - 1))).toContain('"x"');
  });
  it('refuses non-finite numbers with the reason', () => {
    expect(() => canonicalJson({ n: Infinity })).toThrow(/non-finite number Infinity/);
    expect(() => canonicalJson([NaN])).toThrow(CanonicalJsonError);
  });
});
