// The merge order and conflicts: records interleave by time, each writer's chain order is kept
// even when its clock steps back, ties are broken the same way everywhere, and two writers
// setting different severities (or phases) within the window are a conflict, not last-wins.

import { describe, expect, it } from 'vitest';
import { findConflicts, mergeOrder, CONFLICT_WINDOW_MS } from '../../../../src/journal/share/merge.js';
import { verifySegments } from '../../../../src/journal/share/verify.js';
import { foldMerged } from '../../../../store/merged.js';
import { severityAsOf } from '../../../../store/selectors.js';
import { tempDir } from '../../../helpers/tmp.js';
import { PREFIX, records, segmentOf, TestClock, testWriter, type TestWriter } from '../../../helpers/share-writers.js';

async function verified(...ws: TestWriter[]) {
  const objects = await Promise.all(ws.map((w) => segmentOf(w, 1, records(w))));
  const set = verifySegments(PREFIX, objects);
  expect(set.refusals).toEqual([]);
  return set;
}

describe('merge order', () => {
  it('interleaves by time and keeps each chain in order when a clock steps back', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const a = await testWriter(dir, 'alice', clock);
    const bClock = new TestClock(clock.t + 1000);
    const b = await testWriter(dir, 'bob', bClock);
    clock.advance(10_000);
    await a.store.getState().actions.addNote('a1');
    bClock.t = clock.t + 5_000;
    await b.store.getState().actions.addNote('b1');
    clock.advance(10_000);
    await a.store.getState().actions.addNote('a2');
    clock.t -= 60_000; // alice's clock steps back: a3 still comes after a2
    await a.store.getState().actions.addNote('a3');
    const order = mergeOrder((await verified(a, b)).writers);
    const notes = order
      .filter((r) => r.record.type === 'note.added')
      .map((r) => (r.record.data as { text: string }).text);
    expect(notes).toEqual(['a1', 'b1', 'a2', 'a3']);
    // Same input, same order, whichever writer comes first in the list.
    const set = await verified(b, a);
    expect(mergeOrder([...set.writers].reverse()).map((r) => r.hash)).toEqual(order.map((r) => r.hash));
  });

  it('folds into one store where every record names its writer, with one incident opening', async () => {
    const dir = tempDir();
    const a = await testWriter(dir, 'alice');
    const b = await testWriter(dir, 'bob');
    await b.store.getState().actions.addNote('from bob');
    const m = foldMerged((await verified(a, b)).writers);
    const st = m.store.getState().state;
    expect(st.incident?.id).toBe('INC-2026-042');
    const timeline = Array.from({ length: st.timeline.length }, (_, i) => st.timeline.at(i)!);
    expect(timeline.filter((t) => t.kind === 'opened')).toHaveLength(1);
    expect(timeline.find((t) => t.text === 'from bob')!.actor).toBe('bob-0a1b2c3d');
    expect(m.origins.map((o) => o.writerId)).toContain('alice-0a1b2c3d');
    expect(st.seq).toBe(m.origins.length);
    expect(m.store.getState().meta.readOnly).toBe(true);
  });
});

describe('conflicts', () => {
  it('two writers setting different severities within the window are an open conflict', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const a = await testWriter(dir, 'alice', clock);
    const b = await testWriter(dir, 'bob', clock);
    await a.store.getState().actions.setSeverity(1, 'creds');
    clock.advance(60_000);
    await b.store.getState().actions.setSeverity(2, 'looks contained');
    const m = foldMerged((await verified(a, b)).writers);
    expect(m.conflicts).toEqual([
      expect.objectContaining({
        field: 'severity',
        open: true,
        sides: [
          expect.objectContaining({ writerId: 'alice-0a1b2c3d', value: 'Sev1' }),
          expect.objectContaining({ writerId: 'bob-0a1b2c3d', value: 'Sev2' }),
        ],
      }),
    ]);
    expect(m.report).toMatch(/CONFLICT severity: Sev1 by alice-0a1b2c3d vs Sev2 by bob-0a1b2c3d/);
    // The fold still holds both settings (nothing dropped).
    expect(m.store.getState().state.severity.map((c) => c.value)).toEqual([1, 2]);
  });

  it('is settled by a later setting outside the window; agreeing writers and one writer never conflict', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const a = await testWriter(dir, 'alice', clock);
    const b = await testWriter(dir, 'bob', clock);
    await a.store.getState().actions.setPhase('containment');
    clock.advance(1_000);
    await b.store.getState().actions.setPhase('eradication');
    clock.advance(1_000);
    await a.store.getState().actions.setSeverity(1);
    await a.store.getState().actions.setSeverity(2); // one writer changing its mind is no conflict
    clock.advance(1_000);
    await b.store.getState().actions.setSeverity(2); // agrees with alice's last
    clock.advance(CONFLICT_WINDOW_MS + 60_000);
    await a.store.getState().actions.setPhase('eradication');
    const m = foldMerged((await verified(a, b)).writers);
    const phase = m.conflicts.filter((c) => c.field === 'phase');
    expect(phase).toHaveLength(1);
    expect(phase[0]!.open).toBe(false);
    expect(m.conflicts.filter((c) => c.field === 'severity')).toEqual([]);
    expect(severityAsOf(m.store.getState().state)?.value).toBe(2);
    expect(findConflicts([])).toEqual([]);
  });
});
