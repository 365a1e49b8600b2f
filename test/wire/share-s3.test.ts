// A shared incident over the wire: the real S3 client (@aws-sdk/client-s3, path-style) against
// the S3 sim with Object Lock on 127.0.0.1. Two cockpits (two journals, two writer ids) in one
// process publish sealed segments and see each other's notes and severity; an approval goes one
// way and its decision the other; a key is never written twice; and a segment replaced behind
// the writers' backs is named: a new version of the key (the locked original is what merges), or
// bytes corrupted in the store (refused), while the rest still merges.

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { S3Sim } from '@firebreak/cloud-sim';
import { approvalStatus } from '../../src/journal/share/approval.js';
import { S3Transport } from '../../src/journal/share/s3-transport.js';
import { sha256Base64 } from '../../src/journal/share/segment.js';
import { ShareSession } from '../../store/share-session.js';
import { severityAsOf } from '../../store/selectors.js';
import { tempDir } from '../helpers/tmp.js';
import { INC, PREFIX, TestClock, testWriter, type TestWriter } from '../helpers/share-writers.js';
import { CREDS } from './actions-evidence-env.js';

const BUCKET = 'ir-share';
const DAY = 86_400_000;
let sim: S3Sim;
afterEach(() => sim?.close());

async function setup() {
  const clock = new TestClock();
  sim = new S3Sim({ buckets: [{ name: BUCKET, objectLock: true }] }, { now: clock.now });
  await sim.start();
  const client = new S3Client({
    region: 'us-east-1',
    credentials: CREDS,
    endpoint: sim.url,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  const transport = new S3Transport({ client, bucket: BUCKET, retentionDays: 30, now: clock.now });
  const dir = tempDir();
  const a = await testWriter(dir, 'alice', clock);
  const b = await testWriter(dir, 'bob', clock);
  const start = (w: TestWriter, t = transport) =>
    ShareSession.start({ store: w.store, journalFile: w.file, transport: t, prefix: PREFIX, actor: w.name });
  return { clock, client, transport, a, b, sa: await start(a), sb: await start(b), start };
}

function notes(s: ShareSession): string[] {
  const tl = s.merged.store.getState().state.timeline;
  return tl
    .slice(0, tl.length)
    .filter((t) => t.kind === 'note')
    .map((t) => `${t.actor}: ${t.text}`);
}

describe('a shared incident on S3 Object Lock', () => {
  it('two cockpits see each other’s notes and severity through locked, checksummed segments', async () => {
    const { clock, a, b, sa, sb } = await setup();
    await a.store.getState().actions.addNote('CI role keys rotated');
    await a.store.getState().actions.setSeverity(1, 'credentials used from outside');
    expect((await sa.sync()).publish.error).toBeUndefined();
    await b.store.getState().actions.addNote('no customer data in the logs so far');
    await sb.sync();
    await sa.sync();
    for (const s of [sa, sb]) {
      expect(notes(s)).toEqual([
        'alice-0a1b2c3d: CI role keys rotated',
        'bob-0a1b2c3d: no customer data in the logs so far',
      ]);
      expect(severityAsOf(s.merged.store.getState().state)?.value).toBe(1);
      expect(s.merged.refusals).toEqual([]);
    }
    const puts = sim.recorder.of('PutObject');
    expect(puts.map((p) => p.path)).toEqual([
      `/${BUCKET}/${PREFIX}/${INC}/alice-0a1b2c3d/000001-000005.jsonl`,
      `/${BUCKET}/${PREFIX}/${INC}/bob-0a1b2c3d/000001-000003.jsonl`,
    ]);
    for (const p of puts) {
      expect(p.headers['x-amz-object-lock-mode']).toBe('COMPLIANCE');
      expect(Date.parse(p.headers['x-amz-object-lock-retain-until-date']!)).toBe(clock.t + 30 * DAY);
      expect(p.headers['if-none-match']).toBe('*');
      const stored = sim.object(BUCKET, decodeURIComponent(p.path.slice(BUCKET.length + 2)))!;
      expect(p.headers['x-amz-checksum-sha256']).toBe(sha256Base64(stored.body));
      expect(stored).toMatchObject({ lockMode: 'COMPLIANCE', checksumSha256: sha256Base64(stored.body) });
    }
    expect(sim.recorder.of('ListObjectVersions').length).toBeGreaterThan(0);
  });

  it('an approval request and its decision round-trip between the two writers', async () => {
    const { clock, a, b, sa, sb } = await setup();
    await a.store.getState().actions.setApprovalPolicy('destructive', 15);
    await a.store.getState().actions.requestApproval({
      requestId: 'apr-wire-0001',
      actionId: 'act-wire-000001',
      action: 'aws.denyRole',
      targetLabel: 'role ci-deploy',
      planHash: 'c'.repeat(64),
    });
    await sa.sync();
    await sb.sync();
    expect(sb.merged.book.policy).toEqual({ require: 'destructive', ttlMinutes: 15 });
    await b.store.getState().actions.decideApproval('apr-wire-0001', 'approved');
    await sb.sync();
    await sa.sync();
    const now = clock.t;
    expect(approvalStatus(sa.merged.book, 'act-wire-000001', 'c'.repeat(64), sa.writerId, now)).toMatchObject({
      state: 'approved',
      by: 'bob (bob-0a1b2c3d)',
    });
    // Bound to the plan hash: another hash has no approval.
    expect(approvalStatus(sa.merged.book, 'act-wire-000001', 'd'.repeat(64), sa.writerId, now).state).toBe('none');
  });

  it('never writes a key twice: a second PUT of a published key is refused by If-None-Match', async () => {
    const { transport, a, sa } = await setup();
    await sa.sync();
    const key = sim.recorder.of('PutObject')[0]!.path.slice(BUCKET.length + 2);
    const again = await transport.put({
      incidentId: INC,
      writerId: a.writerId,
      first: 1,
      last: 2,
      key,
      body: Buffer.from('x\n'),
      seal: 'e'.repeat(64),
      checksumSha256: sha256Base64(Buffer.from('x\n')),
    });
    expect(again).toBe('exists');
    expect(sim.recorder.of('PutObject').at(-1)!.status).toBe(412);
    expect(sim.buckets.get(BUCKET)!.objects.get(key)).toHaveLength(1);
  });

  it('names a key written twice and merges its locked original; refuses corrupted bytes', async () => {
    const { client, a, b, sa, sb } = await setup();
    await a.store.getState().actions.addNote('isolate i-0abc');
    await sa.sync();
    const key = sim.recorder.of('PutObject')[0]!.path.slice(BUCKET.length + 2);
    const real = sim.object(BUCKET, key)!.body;
    // Object Lock keeps the original version; a writer with s3:PutObject can still stack a new one.
    const forged = Buffer.from(real.toString().replace('isolate i-0abc', 'isolate i-0def'));
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: forged,
        ChecksumSHA256: sha256Base64(forged),
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(Date.now() + DAY),
      }),
    );
    expect(
      sim.buckets
        .get(BUCKET)!
        .objects.get(key)!
        .map((v) => v.body.equals(real)),
    ).toEqual([true, false]);
    await b.store.getState().actions.addNote('bob still merges');
    await sb.sync();
    // The second version is named; the original, which Object Lock keeps, is what merges.
    expect(sb.merged.refusals).toEqual([
      expect.objectContaining({ key, seq: 0, reason: expect.stringMatching(/^rewritten: the key has 2 versions/) }),
    ]);
    expect(notes(sb)).toEqual(['alice-0a1b2c3d: isolate i-0abc', 'bob-0a1b2c3d: bob still merges']);
    expect(sim.recorder.of('GetObject').at(-1)!.query.versionId).toBe(
      sim.buckets.get(BUCKET)!.objects.get(key)![0]!.versionId,
    );

    // The original's bytes corrupted in the store itself: a fresh cockpit (no cache) refuses them.
    const original = sim.buckets.get(BUCKET)!.objects.get(key)![0]!;
    original.body = Buffer.from(real.toString().replace('isolate i-0abc', 'isolate i-0xyz'));
    const late = await testWriter(tempDir(), 'carol');
    const transport2 = new S3Transport({ client, bucket: BUCKET, retentionDays: 30 });
    const sc = await ShareSession.start({
      store: late.store,
      journalFile: late.file,
      transport: transport2,
      prefix: PREFIX,
      actor: 'carol',
    });
    await sc.sync();
    // The SDK checks the stored checksum on GetObject and refuses the bytes; without it, the chain would.
    expect(sc.merged.refusals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key, reason: expect.stringMatching(/cannot be read: .*[Cc]hecksum/) }),
      ]),
    );
    expect(notes(sc)).toEqual(['bob-0a1b2c3d: bob still merges']);
  });
});
