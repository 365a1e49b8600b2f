// aws.uploadEvidence: the real S3 client (forcePathStyle) against the S3 sim, through the runner.
// The claims: the object-lock and checksum headers exactly as S3 needs them, one PutObject per
// action, a read-back that fails when the stored object disagrees, and S3's own errors journaled.

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EVIDENCE_ACTIONS } from '../../src/actions/evidence/index.js';
import type { ActionEnv } from '../../src/actions/types.js';
import { S3Sim } from '@firebreak/cloud-sim';
import { actionFixture, baseEnv, type ActionFixture } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { awsClients, ofType } from './actions-evidence-env.js';

const T0 = Date.parse('2026-04-20T14:40:00Z');
const DAY = 86_400_000;
const CONTENT = '{"eventID":"e1"}\n{"eventID":"e2"}\n';
const SHA = createHash('sha256').update(CONTENT).digest('hex');
const SHA_B64 = Buffer.from(SHA, 'hex').toString('base64');
const KEY = 'INC-2026-042/EV-001/cloudtrail-AKIA.jsonl';

let sim: S3Sim;
let fx: ActionFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
  await sim?.close();
});

async function setup(over: Partial<ActionEnv> = {}) {
  sim = new S3Sim(
    { buckets: [{ name: 'evidence-lock', objectLock: true }, { name: 'plain' }] },
    { now: () => new Date(T0) },
  );
  await sim.start();
  const dir = tempDir();
  const path = join(dir, 'cloudtrail-AKIA.jsonl');
  writeFileSync(path, CONTENT);
  const env = baseEnv(dir, {
    now: () => new Date(T0),
    aws: awsClients({ s3: sim.url }),
    evidenceBucket: { bucket: 'evidence-lock', retentionDays: 30, mode: 'COMPLIANCE' },
    ...over,
  });
  fx = await actionFixture(dir, env, { defs: EVIDENCE_ACTIONS });
  return { fx, path, target: { kind: 'evidence' as const, id: 'EV-001', label: path } };
}

describe('aws.uploadEvidence', () => {
  it('PUTs the file path-style with COMPLIANCE lock, retain-until and its SHA-256 checksum, then reads them back', async () => {
    const { fx, target } = await setup();
    const id = await fx.run('aws.uploadEvidence', target);
    expect(fx.runner.status(id)).toBe('verified');

    const [put, ...more] = sim.recorder.of('PutObject');
    expect(more).toEqual([]);
    expect(put!.method).toBe('PUT');
    expect(put!.path).toBe(`/evidence-lock/${KEY}`);
    expect(put!.headers['x-amz-object-lock-mode']).toBe('COMPLIANCE');
    expect(Date.parse(put!.headers['x-amz-object-lock-retain-until-date']!)).toBe(T0 + 30 * DAY);
    expect(put!.headers['x-amz-checksum-sha256']).toBe(SHA_B64);
    expect(put!.headers['x-amz-sdk-checksum-algorithm']).toBe('SHA256');
    expect(put!.headers['x-amz-meta-sha256']).toBe(SHA);
    expect(put!.body).toBe(CONTENT);

    const stored = sim.object('evidence-lock', KEY)!;
    expect(stored.body.toString()).toBe(CONTENT);
    expect(stored).toMatchObject({
      lockMode: 'COMPLIANCE',
      checksumSha256: SHA_B64,
      retainUntil: new Date(T0 + 30 * DAY).toISOString(),
    });

    // The read-back asked for the checksum, by version, and for the retention.
    const heads = sim.recorder.of('HeadObject');
    expect(heads.at(-1)!.headers['x-amz-checksum-mode']).toBe('ENABLED');
    expect(heads.at(-1)!.query.versionId).toBe(stored.versionId);
    expect(sim.recorder.of('GetObjectRetention')).toHaveLength(1);

    const recs = fx.records();
    expect(ofType(recs, 'action.planned')[0]!.data.params).toMatchObject({
      bucket: 'evidence-lock',
      key: KEY,
      sha256: SHA,
      objectLockMode: 'COMPLIANCE',
      checksumAlgorithm: 'SHA256',
    });
    expect(ofType(recs, 'action.planned')[0]!.data.warnings.join(' ')).toMatch(
      /cannot be shortened .* root user included/,
    );
    expect(ofType(recs, 'action.succeeded')[0]!.data.outputs).toMatchObject({
      versionId: stored.versionId,
      checksumSHA256: SHA_B64,
      alreadyPresent: false,
    });
    expect(ofType(recs, 'action.verified')[0]!.data).toMatchObject({ ok: true });
  });

  it('is refused in the plan when no evidence bucket is configured, saying how to configure one', async () => {
    const { fx, target } = await setup({ evidenceBucket: undefined });
    await expect(fx.runner.plan('aws.uploadEvidence', target)).rejects.toThrow(
      /no evidence bucket.*--evidence-bucket NAME --retention-days N/,
    );
    expect(ofType(fx.records(), 'action.failed')[0]!.data).toMatchObject({ stage: 'plan', code: 'NoEvidenceBucket' });
    expect(sim.recorder.calls).toEqual([]);
  });

  it("the dry run checks the bucket's Object Lock and uploads nothing", async () => {
    const { fx, target } = await setup();
    const id = await fx.runner.plan('aws.uploadEvidence', target);
    expect(await fx.runner.dryRun(id)).toMatchObject({ kind: 'simulated', ok: true });
    expect(sim.recorder.calls.map((c) => c.op)).toEqual(['GetObjectLockConfiguration']);
  });

  it("on a bucket without Object Lock the dry run says so and the upload fails with S3's InvalidRequest", async () => {
    const { fx, target } = await setup({ evidenceBucket: { bucket: 'plain', retentionDays: 30, mode: 'COMPLIANCE' } });
    const id = await fx.runner.plan('aws.uploadEvidence', target);
    const dry = await fx.runner.dryRun(id);
    expect(dry.ok).toBe(false);
    expect(dry.message).toMatch(/no Object Lock configuration/);
    // A refused dry run blocks confirming unless a typed reason overrides it (journaled with it).
    const hash = fx.store.getState().state.actions.get(id)!.planned.paramsHash;
    await expect(fx.runner.confirm(id, hash)).rejects.toThrow(/dry run was REFUSED/);
    await fx.runner.confirm(id, hash, 'checking what S3 answers');
    expect(ofType(fx.records(), 'action.confirmed')[0]!.data.refusedDryRun).toMatchObject({
      reason: 'checking what S3 answers',
    });
    await fx.runner.execute(id);
    expect(fx.runner.status(id)).toBe('failed');
    const f = ofType(fx.records(), 'action.failed')[0]!.data;
    expect(f).toMatchObject({ stage: 'execute', code: 'InvalidRequest' });
    expect(f.message).toMatch(/Bucket is missing ObjectLockConfiguration/);
    expect(f.requestIds.length).toBeGreaterThan(0);
    expect(sim.object('plain', KEY)).toBeUndefined();
  });

  it('NoSuchBucket and AccessDenied are journaled as failures with a hint', async () => {
    const a = await setup({ evidenceBucket: { bucket: 'gone', retentionDays: 30, mode: 'COMPLIANCE' } });
    const id = await a.fx.run('aws.uploadEvidence', a.target);
    const f = ofType(a.fx.records(), 'action.failed')[0]!.data;
    expect(a.fx.runner.status(id)).toBe('failed');
    expect(f).toMatchObject({ code: 'NoSuchBucket' });
    expect(f.message).toMatch(/The specified bucket does not exist/);
    expect(f.hint).toMatch(/not there/);
    await a.fx.close();
    await sim.close();

    const b = await setup();
    fx = b.fx;
    sim.recorder.fail({ op: 'PutObject', status: 403, code: 'AccessDenied', message: 'Access Denied' });
    const id2 = await b.fx.run('aws.uploadEvidence', b.target);
    expect(b.fx.runner.status(id2)).toBe('failed');
    const g = ofType(b.fx.records(), 'action.failed')[0]!.data;
    expect(g).toMatchObject({ code: 'AccessDenied' });
    expect(g.hint).toMatch(/permission/);
  });

  it('S3 throttling (503 SlowDown) is a failure, never retried into a second upload', async () => {
    const { fx, target } = await setup();
    sim.recorder.fail({ op: 'PutObject', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' });
    const id = await fx.run('aws.uploadEvidence', target);
    expect(fx.runner.status(id)).toBe('failed');
    const f = ofType(fx.records(), 'action.failed')[0]!.data;
    expect(f).toMatchObject({ code: 'SlowDown' });
    expect(f.hint).toMatch(/rate-limiting/);
    expect(sim.recorder.of('PutObject')).toHaveLength(1);
    expect(sim.object('evidence-lock', KEY)).toBeUndefined();
  });

  it('a second press makes no second PutObject', async () => {
    const { fx, target } = await setup();
    const id = await fx.run('aws.uploadEvidence', target);
    await expect(fx.runner.execute(id)).rejects.toThrow(/never run twice/);
    expect(sim.recorder.of('PutObject')).toHaveLength(1);
    expect(sim.buckets.get('evidence-lock')!.objects.get(KEY)).toHaveLength(1);
  });

  it('an object already there with the same checksum under lock is not uploaded again', async () => {
    const { fx, target } = await setup();
    await fx.run('aws.uploadEvidence', target);
    const id = await fx.run('aws.uploadEvidence', target);
    expect(fx.runner.status(id)).toBe('verified');
    expect(sim.recorder.of('PutObject')).toHaveLength(1);
    expect(ofType(fx.records(), 'action.succeeded')[1]!.data.outputs).toMatchObject({ alreadyPresent: true });
  });

  it('a file changed since the plan is not uploaded', async () => {
    const { fx, target, path } = await setup();
    const id = await fx.runner.plan('aws.uploadEvidence', target);
    await fx.runner.confirm(id, fx.store.getState().state.actions.get(id)!.planned.paramsHash);
    writeFileSync(path, `${CONTENT}{"eventID":"forged"}\n`);
    await fx.runner.execute(id);
    expect(ofType(fx.records(), 'action.failed')[0]!.data).toMatchObject({ code: 'EvidenceChanged' });
    expect(sim.recorder.of('PutObject')).toEqual([]);
  });

  it("verify fails when the stored object's retention or checksum disagree", async () => {
    const { fx, target } = await setup();
    const id = await fx.run('aws.uploadEvidence', target);
    const stored = sim.object('evidence-lock', KEY)!;
    stored.lockMode = 'GOVERNANCE';
    expect(await fx.runner.reverify(id)).toBe('verify-failed');
    expect(ofType(fx.records(), 'action.verified').at(-1)!.data.detail).toMatch(
      /lock GOVERNANCE .* expected COMPLIANCE/,
    );

    stored.lockMode = 'COMPLIANCE';
    stored.checksumSha256 = Buffer.alloc(32).toString('base64');
    expect(await fx.runner.reverify(id)).toBe('verify-failed');
    expect(ofType(fx.records(), 'action.verified').at(-1)!.data.detail).toMatch(/checksum .* expected/);
  });
});

describe('the S3 sim speaks S3', () => {
  it("refuses a PutObject with lock headers but no checksum or Content-MD5, in S3's words", async () => {
    sim = new S3Sim({ buckets: [{ name: 'evidence-lock', objectLock: true }] });
    await sim.start();
    const res = await fetch(`${sim.url}/evidence-lock/x.txt`, {
      method: 'PUT',
      body: 'x',
      headers: {
        'x-amz-object-lock-mode': 'COMPLIANCE',
        'x-amz-object-lock-retain-until-date': new Date(Date.now() + DAY).toISOString(),
      },
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('<Code>InvalidRequest</Code>');
    expect(text).toContain(
      '<Message>Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters</Message>',
    );
    expect(sim.object('evidence-lock', 'x.txt')).toBeUndefined();
  });

  it('rejects bytes that do not match the sent x-amz-checksum-sha256 (BadDigest)', async () => {
    sim = new S3Sim({ buckets: [{ name: 'b', objectLock: true }] });
    await sim.start();
    const res = await fetch(`${sim.url}/b/y`, {
      method: 'PUT',
      body: 'tampered',
      headers: { 'x-amz-checksum-sha256': SHA_B64 },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>BadDigest</Code>');
  });
});
