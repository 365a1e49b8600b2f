// aws.blockPublicAccess and its undo aws.restorePublicAccess: the real S3 client (path-style)
// against the S3 sim's REST-XML Block Public Access API, through the runner. The claims: the
// previous configuration is read before the change and restored exactly by the undo (or the block
// deleted when there was none), the read-back checks all four settings, and a refused Put leaves
// the action FAILED with the bucket as it was.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { S3_ACTIONS } from '../../src/actions/aws/s3/index.js';
import { ACTION_META } from '../../src/actions/meta.js';
import { iamPolicy } from '../../src/actions/permissions.js';
import type { Target } from '../../src/actions/types.js';
import { ALL_USERS, S3Sim, type PublicAccessBlock } from '@firebreak/cloud-sim';
import { actionFixture, baseEnv, type ActionFixture } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { awsClients, ofType } from './actions-evidence-env.js';

const PARTIAL: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: true,
};
const FULL: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const MUTATING = ['PutPublicAccessBlock', 'DeletePublicAccessBlock'];
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::wide-open/*' }],
});

let sim: S3Sim;
let fx: ActionFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
  await sim?.close();
});

const bucket = (id: string): Target => ({ kind: 'bucket', id, label: `bucket ${id}` });

async function setup() {
  sim = new S3Sim({
    buckets: [
      { name: 'partly-blocked', publicAccessBlock: { ...PARTIAL } },
      { name: 'wide-open', policy: POLICY, grants: [{ type: 'Group', grantee: ALL_USERS, permission: 'READ' }] },
    ],
  });
  await sim.start();
  const dir = tempDir();
  const aws = awsClients({ s3: sim.url });
  fx = await actionFixture(dir, baseEnv(dir, { aws }), { defs: S3_ACTIONS, backends: ['aws'] });
  onClose(() => aws.s3.destroy());
  const mutations = () => sim.recorder.calls.filter((c) => MUTATING.includes(c.op));
  const undo = async (actionId: string) => {
    const id = await fx!.runner.planUndo(actionId);
    const hash = fx!.store.getState().state.actions.get(id)!.planned.paramsHash;
    await fx!.runner.confirm(id, hash);
    await fx!.runner.execute(id);
    return id;
  };
  return { fx, mutations, undo };
}

const closers: (() => void)[] = [];
function onClose(f: () => void) {
  closers.push(f);
}
afterEach(() => {
  for (const f of closers.splice(0)) f();
});

describe('aws.blockPublicAccess', () => {
  it('plans with the current configuration, dry-runs without a change, puts all four flags, verifies, and the undo restores exactly the previous ones', async () => {
    const { fx, mutations, undo } = await setup();
    const id = await fx.runner.plan('aws.blockPublicAccess', bucket('partly-blocked'));
    const p = fx.store.getState().state.actions.get(id)!.planned;
    expect(p.params).toEqual({ bucket: 'partly-blocked', configuration: FULL, observed: PARTIAL });
    expect(p.blastRadius.join('\n')).toContain(
      'bucket partly-blocked now: BlockPublicAcls=true IgnorePublicAcls=false BlockPublicPolicy=false RestrictPublicBuckets=true',
    );
    expect(p.calls.filter((c) => c.mutating).map((c) => c.op)).toEqual(['PutPublicAccessBlock']);

    const dry = await fx.runner.dryRun(id);
    expect(dry).toMatchObject({ kind: 'simulated', ok: true });
    expect(dry.message).toContain('IgnorePublicAcls=false');
    expect(mutations()).toEqual([]);

    await fx.runner.confirm(id, p.paramsHash);
    await fx.runner.execute(id);
    expect(fx.runner.status(id)).toBe('verified');
    // On the wire: PUT /partly-blocked?publicAccessBlock with the XML body and an integrity header.
    const [put, ...more] = mutations();
    expect(more).toEqual([]);
    expect(put).toMatchObject({ method: 'PUT', path: '/partly-blocked/', op: 'PutPublicAccessBlock' });
    expect(put!.query).toHaveProperty('publicAccessBlock');
    for (const f of Object.keys(FULL)) expect(put!.body).toContain(`<${f}>true</${f}>`);
    expect(put!.body).toContain('<PublicAccessBlockConfiguration');
    expect(sim.buckets.get('partly-blocked')!.publicAccessBlock).toEqual(FULL);
    // Captured before the change: the execute read, then the put, then the read-back.
    const ops = sim.recorder.calls.map((c) => c.op);
    expect(ops.slice(-5)).toEqual([
      'GetPublicAccessBlock',
      'GetBucketPolicy',
      'GetBucketAcl',
      'PutPublicAccessBlock',
      'GetPublicAccessBlock',
    ]);
    const ok = ofType(fx.records(), 'action.succeeded').find((r) => r.data.actionId === id)!;
    expect(ok.data.outputs).toMatchObject({ previous: PARTIAL });

    const u = await undo(id);
    expect(fx.runner.status(u)).toBe('verified');
    expect(sim.buckets.get('partly-blocked')!.publicAccessBlock).toEqual(PARTIAL);
    expect(mutations().at(-1)!.op).toBe('PutPublicAccessBlock');
    expect(mutations().at(-1)!.body).toContain('<IgnorePublicAcls>false</IgnorePublicAcls>');
  });

  it('a bucket with no public access block: previous is none, and the undo deletes the block', async () => {
    const { fx, mutations, undo } = await setup();
    const id = await fx.run('aws.blockPublicAccess', bucket('wide-open'));
    expect(fx.runner.status(id)).toBe('verified');
    expect(sim.buckets.get('wide-open')!.publicAccessBlock).toEqual(FULL);
    const ok = ofType(fx.records(), 'action.succeeded').find((r) => r.data.actionId === id)!;
    expect(ok.data.outputs).toMatchObject({ previous: null });
    // How it was public, captured before the change as hashed evidence: the policy, the ACL, no block.
    const ev = ofType(fx.records(), 'evidence.recorded');
    expect(ev).toHaveLength(1);
    const captured = JSON.parse(readFileSync(ev[0]!.data.path, 'utf8')) as Record<string, unknown>;
    expect(captured).toMatchObject({
      bucket: 'wide-open',
      publicAccessBlock: null,
      policy: { value: POLICY },
      acl: { value: { grants: expect.arrayContaining([{ grantee: ALL_USERS, permission: 'READ' }]) } },
    });
    expect(ev[0]!.data.sha256).toBe(createHash('sha256').update(readFileSync(ev[0]!.data.path)).digest('hex'));
    const plan = fx.store.getState().state.actions.get(id)!.planned;
    expect(plan.blastRadius[0]).toContain('ACL grants READ to AllUsers; the bucket policy allows Principal "*"');

    const u = await undo(id);
    expect(fx.runner.status(u)).toBe('verified');
    expect(mutations().map((c) => [c.op, c.method])).toEqual([
      ['PutPublicAccessBlock', 'PUT'],
      ['DeletePublicAccessBlock', 'DELETE'],
    ]);
    expect(sim.buckets.get('wide-open')!.publicAccessBlock).toBeUndefined();
  });

  it('a refused policy read is recorded in the evidence as refused, and does not keep the bucket open', async () => {
    const { fx } = await setup();
    const id = await fx.runner.plan('aws.blockPublicAccess', bucket('wide-open'));
    sim.recorder.fail({ op: 'GetBucketPolicy', status: 403, code: 'AccessDenied', message: 'Access Denied' });
    await fx.runner.confirm(id, fx.store.getState().state.actions.get(id)!.planned.paramsHash);
    await fx.runner.execute(id);
    expect(fx.runner.status(id)).toBe('verified');
    const ev = ofType(fx.records(), 'evidence.recorded')[0]!;
    const captured = JSON.parse(readFileSync(ev.data.path, 'utf8')) as { policy: unknown; acl: unknown };
    expect(captured.policy).toEqual({ error: 'AccessDenied: Access Denied' });
    expect(captured.acl).toMatchObject({
      value: { grants: expect.arrayContaining([{ grantee: ALL_USERS, permission: 'READ' }]) },
    });
  });

  it('verify fails when a flag is turned off behind its back', async () => {
    const { fx } = await setup();
    const id = await fx.run('aws.blockPublicAccess', bucket('wide-open'));
    sim.buckets.get('wide-open')!.publicAccessBlock!.RestrictPublicBuckets = false;
    expect(await fx.runner.reverify(id)).toBe('verify-failed');
    const v = ofType(fx.records(), 'action.verified').at(-1)!;
    expect(v.data.detail).toContain('RestrictPublicBuckets=false');
  });

  it('a 500 on the Put: the journal says FAILED, the bucket is as it was, and the undo has nothing to change', async () => {
    const { fx, mutations } = await setup();
    sim.recorder.fail({
      op: 'PutPublicAccessBlock',
      status: 500,
      code: 'InternalError',
      message: 'We encountered an internal error. Please try again.',
    });
    const id = await fx.run('aws.blockPublicAccess', bucket('wide-open'));
    expect(fx.runner.status(id)).toBe('failed');
    const f = ofType(fx.records(), 'action.failed').find((r) => r.data.actionId === id)!;
    expect(f.data.code).toBe('InternalError');
    expect(ofType(fx.records(), 'action.succeeded')).toEqual([]);
    expect(sim.buckets.get('wide-open')!.publicAccessBlock).toBeUndefined();

    // Nothing was applied, so there is nothing to undo: the runner says so and calls nothing.
    await expect(fx.runner.planUndo(id)).rejects.toThrow(/nothing to undo: the action is failed/);
    expect(mutations().map((c) => [c.op, c.status])).toEqual([['PutPublicAccessBlock', 500]]);
  });

  it('is destructive, offered on b for buckets, and the responder policy grants its S3 permissions', () => {
    const m = ACTION_META.find((a) => a.id === 'aws.blockPublicAccess')!;
    expect(m).toMatchObject({ kind: 'bucket', key: 'b', destructive: true, undo: 'aws.restorePublicAccess' });
    expect(ACTION_META.find((a) => a.id === 'aws.restorePublicAccess')).toMatchObject({
      destructive: true,
      undoOnly: true,
    });
    const s3 = (iamPolicy() as { Statement: { Sid: string; Action: string[] }[] }).Statement.find(
      (s) => s.Sid === 'FirebreakS3',
    )!;
    expect(s3.Action).toEqual(
      expect.arrayContaining([
        's3:GetBucketPolicy',
        's3:GetBucketAcl',
        's3:GetBucketPublicAccessBlock',
        's3:PutBucketPublicAccessBlock',
      ]),
    );
  });
});
