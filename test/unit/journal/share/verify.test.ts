// Sealing and verifying a shared incident's segments: a good chain across segments verifies, and
// each way an object can lie — an edited byte, a fork, a gap, a truncated object, a chain that
// does not link — is refused naming its key and seq, while everything before it (and every other
// writer) still comes through.

import { describe, expect, it } from 'vitest';
import { parseSegmentKey, parseShareUrl, segmentKey, sha256Base64 } from '../../../../src/journal/share/segment.js';
import { describeRefusal, verifySegments } from '../../../../src/journal/share/verify.js';
import { tempDir } from '../../../helpers/tmp.js';
import { forkOf, INC, PREFIX, records, segmentOf, testWriter } from '../../../helpers/share-writers.js';

const obj = (s: { key: string; body: Buffer }) => ({ key: s.key, body: s.body });

describe('sealing a segment', () => {
  it('holds the exact journal lines, names its seq range and is sealed by its last hash', async () => {
    const w = await testWriter(tempDir(), 'alice');
    await w.store.getState().actions.addNote('paged the on-call');
    const seg = await segmentOf(w, 1, 3);
    expect(seg.key).toBe(`${PREFIX}/${INC}/alice-0a1b2c3d/000001-000003.jsonl`);
    expect(seg.body.toString().split('\n')).toHaveLength(4);
    expect(JSON.parse(seg.body.toString().split('\n')[2]!).hash).toBe(seg.seal);
    expect(seg.checksumSha256).toBe(sha256Base64(seg.body));
    expect(parseSegmentKey(PREFIX, seg.key)).toEqual({
      incidentId: INC,
      writerId: 'alice-0a1b2c3d',
      first: 1,
      last: 3,
    });
    expect(segmentKey(PREFIX, { incidentId: INC, writerId: 'w', first: 42, last: 42 })).toMatch(
      /000042-000042\.jsonl$/,
    );
    expect(parseShareUrl('s3://ir-bucket/team/shared/')).toEqual({ bucket: 'ir-bucket', prefix: 'team/shared' });
    expect(() => parseShareUrl('https://x')).toThrow(/not an S3 URL/);
  });
});

describe('verifying segments', () => {
  it('chains a writer across segments from genesis', async () => {
    const w = await testWriter(tempDir(), 'alice');
    for (const t of ['one', 'two', 'three']) await w.store.getState().actions.addNote(t);
    const set = verifySegments(PREFIX, [obj(await segmentOf(w, 1, 2)), obj(await segmentOf(w, 3, records(w)))]);
    expect(set.refusals).toEqual([]);
    expect(set.writers).toHaveLength(1);
    expect(set.writers[0]!.records.map((r) => r.record.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses an edited record with its key and seq; the records before it and other writers still merge', async () => {
    const dir = tempDir();
    const a = await testWriter(dir, 'alice');
    const b = await testWriter(dir, 'bob');
    await a.store.getState().actions.addNote('first note');
    await a.store.getState().actions.addNote('second note');
    await b.store.getState().actions.addNote('from bob');
    const s1 = await segmentOf(a, 1, 2);
    const s2 = await segmentOf(a, 3, 4);
    const forged = Buffer.from(s2.body.toString().replace('second note', 'SECOND NOTE'));
    const set = verifySegments(PREFIX, [obj(s1), { key: s2.key, body: forged }, obj(await segmentOf(b, 1, 3))]);
    const bad = set.refusals.find((r) => r.key === s2.key)!;
    expect(bad.seq).toBe(4);
    expect(describeRefusal(bad)).toMatch(/refused .*000003-000004\.jsonl at seq 4: hash does not match/);
    const byWriter = Object.fromEntries(set.writers.map((w) => [w.writerId, w.records.length]));
    expect(byWriter).toEqual({ 'alice-0a1b2c3d': 2, 'bob-0a1b2c3d': 3 });
  });

  it('refuses a re-sealed segment whose chain does not link to the one before', async () => {
    const dir = tempDir();
    const a = await testWriter(dir, 'alice');
    await a.store.getState().actions.addNote('one');
    const other = await testWriter(dir, 'mallory');
    // A chain of its own, re-keyed under alice: every seal is right, the link to alice's seq 2 is not.
    await other.store.getState().actions.recordShareWriter('mallory-0a1b2c3d');
    await other.store.getState().actions.addNote('forged');
    const real = await segmentOf(a, 1, 2);
    const foreign = await segmentOf(other, 3, 3);
    const key = foreign.key.replace('mallory-', 'alice-');
    const set = verifySegments(PREFIX, [obj(real), { key, body: foreign.body }]);
    expect(set.refusals).toEqual([
      expect.objectContaining({ key, seq: 3, reason: expect.stringMatching(/chain broken/) }),
    ]);
    expect(set.writers[0]!.records).toHaveLength(2);
  });

  it('refuses a fork: two objects holding different records for the same seq', async () => {
    const dir = tempDir();
    const a = await testWriter(dir, 'alice');
    const f = await forkOf(dir, a);
    await a.store.getState().actions.addNote('the real one');
    await f.store.getState().actions.addNote('the other one');
    await f.store.getState().actions.addNote('and more');
    const set = verifySegments(PREFIX, [obj(await segmentOf(a, 1, 3)), obj(await segmentOf(f, 3, 4))]);
    expect(set.refusals).toHaveLength(1);
    expect(set.refusals[0]).toMatchObject({ seq: 3, key: expect.stringMatching(/000003-000004/) });
    expect(set.refusals[0]!.reason).toMatch(/fork: .*000001-000003\.jsonl holds a different record 3/);
    expect(set.writers[0]!.records.map((r) => r.record.seq)).toEqual([1, 2]);
  });

  it('accepts the same records published twice (a PUT that landed and was retried)', async () => {
    const a = await testWriter(tempDir(), 'alice');
    await a.store.getState().actions.addNote('one');
    const set = verifySegments(PREFIX, [obj(await segmentOf(a, 1, 3)), obj(await segmentOf(a, 2, 3))]);
    expect(set.refusals).toEqual([]);
    expect(set.writers[0]!.records).toHaveLength(3);
  });

  it('refuses a gap and merges what comes before it', async () => {
    const a = await testWriter(tempDir(), 'alice');
    for (const t of ['one', 'two', 'three']) await a.store.getState().actions.addNote(t);
    const later = await segmentOf(a, 4, 5);
    const set = verifySegments(PREFIX, [obj(await segmentOf(a, 1, 2)), obj(later)]);
    expect(set.refusals).toEqual([
      expect.objectContaining({ key: later.key, seq: 3, reason: expect.stringMatching(/gap/) }),
    ]);
    expect(set.writers[0]!.records).toHaveLength(2);
  });

  it('refuses a truncated object, cut mid-line or on a line boundary', async () => {
    const a = await testWriter(tempDir(), 'alice');
    for (const t of ['one', 'two']) await a.store.getState().actions.addNote(t);
    const seg = await segmentOf(a, 1, 4);
    const lines = seg.body.toString().split('\n');
    const onBoundary = Buffer.from(lines.slice(0, 3).join('\n') + '\n');
    const midLine = seg.body.subarray(0, seg.body.length - 20);
    const r1 = verifySegments(PREFIX, [{ key: seg.key, body: onBoundary }]).refusals[0]!;
    expect(r1).toMatchObject({ key: seg.key, seq: 4 });
    expect(r1.reason).toMatch(/holds 3 of the 4 records its key names \(truncated\)/);
    const r2 = verifySegments(PREFIX, [{ key: seg.key, body: midLine }]).refusals[0]!;
    expect(r2).toMatchObject({ key: seg.key, seq: 4, reason: expect.stringMatching(/no newline \(truncated\)/) });
  });

  it('refuses a chain that names another writer than its folder', async () => {
    const a = await testWriter(tempDir(), 'alice');
    const seg = await segmentOf(a, 1, 2);
    const key = seg.key.replace('alice-0a1b2c3d', 'carol-99999999');
    const set = verifySegments(PREFIX, [{ key, body: seg.body }]);
    expect(set.writers).toEqual([]);
    expect(set.refusals[0]!.reason).toMatch(/the chain's writer is alice-0a1b2c3d, not carol-99999999/);
  });
});
