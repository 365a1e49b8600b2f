// Checkpoints: the journal writes one after every milestone and at least every CHECKPOINT_EVERY
// records, each carrying the seq and full hash of the record before it; verify refuses a
// checkpoint that says anything else, and the store folds them without a gap.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_EVERY } from '../../../src/journal/checkpoint.js';
import { Journal } from '../../../src/journal/journal.js';
import { scanJournal, type ScannedRecord } from '../../../src/journal/scan.js';
import { verifyJournal } from '../../../src/journal/verify.js';
import { sealLine } from '../../../src/journal/chain.js';
import { canonicalRecord } from '../../../src/journal/canonical.js';
import { newIncident } from '../../../store/open.js';
import { timelineAsOf } from '../../../store/selectors.js';
import { cloudTrailEvent } from '../store/fixtures.js';
import { tempDir } from '../../helpers/tmp.js';

const OPENED = { incidentId: 'INC-2026-042', title: 'Checkpoints', mode: 'drill' as const };
const ACT = 'act-quarantine-1';

async function records(file: string): Promise<ScannedRecord['record'][]> {
  const out: ScannedRecord['record'][] = [];
  const r = await scanJournal(file, (x) => out.push(x.record));
  expect(r.failure).toBeUndefined();
  return out;
}

/** Every checkpoint names the record right before it, by seq and full hash. */
function expectCheckpointsTrue(recs: ScannedRecord['record'][]): void {
  for (const [i, r] of recs.entries()) {
    if (r.type !== 'checkpoint') continue;
    expect(r.data, `checkpoint at seq ${r.seq}`).toEqual({ records: r.seq - 1, head: recs[i - 1]!.hash });
    expect(r.data.head).toMatch(/^[0-9a-f]{64}$/);
  }
}

/** Rewrites seq `at` with `edit` and re-chains everything after it: a forger's valid chain. */
function forge(file: string, at: number, edit: (r: Record<string, unknown>) => void): void {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  let prev = (JSON.parse(lines[at - 2]!) as { hash: string }).hash;
  const out = lines.slice(0, at - 1);
  for (const l of lines.slice(at - 1)) {
    const { hash: _h, ...r } = JSON.parse(l) as Record<string, unknown>;
    r.prev = prev;
    if (r.seq === at) edit(r);
    const sealed = sealLine(canonicalRecord(r as unknown as Parameters<typeof canonicalRecord>[0]));
    prev = sealed.hash;
    out.push(sealed.line);
  }
  writeFileSync(file, out.join('\n') + '\n');
}

describe('checkpoints at milestones', () => {
  it('follow a severity change, a phase change, a containment applied and undone, and an update sent', async () => {
    const file = join(tempDir(), 'j.jsonl');
    const j = await Journal.create(file, OPENED, { actor: 'alice' });
    const heard: number[] = [];
    j.onCheckpoint((p) => heard.push(p.record.seq));
    await j.append('note.added', { text: 'not a milestone' });
    await j.append('severity.set', { level: 1 });
    await j.append('phase.set', { phase: 'containment' });
    await j.append('action.succeeded', {
      actionId: ACT,
      requestIds: ['r-1'],
      outputs: {},
      message: 'pod relabelled out of its Service',
    });
    await j.append('action.succeeded', {
      actionId: 'act-undo-quarantine-1',
      requestIds: ['r-2'],
      outputs: {},
      message: 'labels restored',
    });
    await j.append('update.recorded', { audience: 'leadership', markdown: '# Update' });
    await j.close();

    const recs = await records(file);
    expect(recs.map((r) => r.type)).toEqual([
      'incident.opened',
      'note.added',
      'severity.set',
      'checkpoint',
      'phase.set',
      'checkpoint',
      'action.succeeded',
      'checkpoint',
      'action.succeeded',
      'checkpoint',
      'update.recorded',
      'checkpoint',
    ]);
    expectCheckpointsTrue(recs);
    expect(heard).toEqual([4, 6, 8, 10, 12]);
    expect(recs.filter((r) => r.type === 'checkpoint').every((r) => r.actor === 'firebreak')).toBe(true);
  });

  it(`come at least every ${CHECKPOINT_EVERY} records, across batches and a reopen`, async () => {
    const file = join(tempDir(), 'j.jsonl');
    const j = await Journal.create(file, OPENED, { actor: 'alice' });
    const notes = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => ({ type: 'note.added' as const, data: { text: `${tag} ${i}` } }));
    const placed = await j.appendMany(notes(700, 'a'));
    // The batch's own result lists its items only, all placed in order.
    expect(placed.map((p) => p.record.type).every((t) => t === 'note.added')).toBe(true);
    expect(placed).toHaveLength(700);
    await j.close();
    const { journal } = await Journal.open(file, () => {});
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => journal.append('note.added', { text: `b ${i}` }, { durability: 'group' })),
    );
    await journal.appendMany(notes(600, 'c'));
    await journal.close();

    const recs = await records(file);
    expectCheckpointsTrue(recs);
    const at = recs.filter((r) => r.type === 'checkpoint').map((r) => r.seq);
    expect(at).toEqual([501, 1002, 1503]);
    let since = 0;
    for (const r of recs) {
      since = r.type === 'checkpoint' ? 0 : since + 1;
      expect(since).toBeLessThanOrEqual(CHECKPOINT_EVERY);
    }
    expect((await verifyJournal(file)).ok).toBe(true);
  });

  it('are folded by the store: its seq keeps up with the journal through a large ingest', async () => {
    const file = join(tempDir(), 'j.jsonl');
    const { store, journal } = await newIncident(file, OPENED, { actor: 'alice' });
    const a = store.getState().actions;
    await a.ingestEvents(Array.from({ length: 600 }, (_, i) => cloudTrailEvent(i + 1)));
    await a.setSeverity(0, 'exfiltration');
    await a.addNote('after the checkpoints');
    const s = store.getState().state;
    expect(s.seq).toBe(journal!.health.records);
    expect(s.events.length).toBe(600);
    expect(timelineAsOf(s, 0, s.timeline.length).some((e) => e.kind === 'checkpoint')).toBe(false);
    await journal!.close();
    const recs = await records(file);
    expect(recs.filter((r) => r.type === 'checkpoint').map((r) => r.seq)).toEqual([501, 604]);
    expect(s.seq).toBe(recs.length);
  });
});

describe('verify checks every checkpoint against the chain', () => {
  async function withCheckpoint(): Promise<{ file: string; cp: number }> {
    const file = join(tempDir(), 'j.jsonl');
    const j = await Journal.create(file, OPENED, { actor: 'alice' });
    await j.append('note.added', { text: 'one' });
    await j.append('severity.set', { level: 2 });
    await j.append('note.added', { text: 'after' });
    await j.close();
    return { file, cp: 4 };
  }

  it('a checkpoint naming another head is NOT INTACT at its seq, though its chain is valid', async () => {
    const { file, cp } = await withCheckpoint();
    expect((await verifyJournal(file)).ok).toBe(true);
    forge(file, cp, (r) => {
      (r.data as { head: string }).head = 'a'.repeat(64);
    });
    const v = await verifyJournal(file);
    expect(v.ok).toBe(false);
    expect(v.seq).toBe(cp);
    expect(v.message).toMatch(/NOT INTACT — first bad record: seq 4 .*checkpoint head does not match/);
    // Writers refuse it too.
    await expect(Journal.open(file, () => {})).rejects.toThrow(/seq 4.*checkpoint head/);
  });

  it('a checkpoint claiming another record count is NOT INTACT at its seq', async () => {
    const { file, cp } = await withCheckpoint();
    forge(file, cp, (r) => {
      (r.data as { records: number }).records = 99;
    });
    const v = await verifyJournal(file);
    expect(v.ok).toBe(false);
    expect(v.seq).toBe(cp);
    expect(v.message).toMatch(/checkpoint claims 99 records, but it follows seq 3/);
  });
});
