// aws.deactivateKey and its undo aws.reactivateKey through the ActionRunner, real IAM client
// against the IAM sim: deactivate (never delete) plus the user-level session revocation.

import { describe, expect, it } from 'vitest';
import { REVOKE_SESSIONS_POLICY } from '../../src/actions/aws/iam/policies.js';
import { requestIdOf } from '@firebreak/cloud-sim';
import { CUTOFF, iamWorld, key, revokeDoc, sentDocument } from './iam-harness.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const keyOf = (w: Awaited<ReturnType<typeof iamWorld>>, id = KEY) =>
  w.iam.users.get('ci-bot')!.keys.find((k) => k.id === id)!;

describe('aws.deactivateKey', () => {
  it('plans with the owner and the last use, and the sessions cut-off', async () => {
    const w = await iamWorld();
    const id = await w.fx.runner.plan('aws.deactivateKey', key(KEY));
    const p = w.fx.store.getState().state.actions.get(id)!.planned;
    expect(p.params).toMatchObject({ accessKeyId: KEY, userName: 'ci-bot', cutoff: CUTOFF });
    const blast = p.blastRadius.join('\n');
    expect(blast).toContain('last used 2026-03-14T01:58:00.000Z with s3 in eu-west-1');
    expect(blast).toContain('owner: user ci-bot; the key is Active now');
    expect(blast).toContain('AKIAI44QH8DHBEXAMPLE (Inactive)');
    expect(p.warnings.join('\n')).toMatch(/deactivated, not deleted/);
    expect(w.rec.calls.map((c) => c.op)).toEqual(['GetAccessKeyLastUsed', 'ListAccessKeys']);
  });

  it('dry run is simulated and changes nothing', async () => {
    const w = await iamWorld();
    const id = await w.fx.runner.plan('aws.deactivateKey', key(KEY));
    const r = await w.fx.runner.dryRun(id);
    expect(r).toMatchObject({ kind: 'simulated', ok: true });
    expect(r.message).toContain('Active → would be Inactive');
    expect(r.message).toContain(`${REVOKE_SESSIONS_POLICY}: would be created`);
    expect(w.mutations()).toEqual([]);
    expect(keyOf(w).status).toBe('Active');
  });

  it("deactivates (UpdateAccessKey Status=Inactive, no delete) and revokes the user's older sessions, once", async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.deactivateKey', key(KEY));
    expect(w.mutations().map((c) => c.op)).toEqual(['UpdateAccessKey', 'PutUserPolicy']);
    const [upd, put] = w.mutations();
    expect(upd!.params).toMatchObject({
      Action: 'UpdateAccessKey',
      UserName: 'ci-bot',
      AccessKeyId: KEY,
      Status: 'Inactive',
    });
    expect(put!.params).toMatchObject({
      Action: 'PutUserPolicy',
      UserName: 'ci-bot',
      PolicyName: REVOKE_SESSIONS_POLICY,
    });
    expect(sentDocument(put!)).toEqual(revokeDoc());
    expect(w.fx.runner.status(id)).toBe('verified');
    expect(keyOf(w).status).toBe('Inactive');
    expect(w.rec.of('DeleteAccessKey')).toEqual([]);
    expect((w.recordOf('action.succeeded', id)!.data as { outputs: unknown }).outputs).toEqual({
      previousStatus: 'Active',
      previous: { [REVOKE_SESSIONS_POLICY]: null },
    });
    await expect(w.fx.runner.execute(id)).rejects.toThrow(/never run twice/);
    expect(w.mutations()).toHaveLength(2);
  });

  it('reports "already applied" when the key is already Inactive and the policy in place', async () => {
    const w = await iamWorld();
    await w.contain('aws.deactivateKey', key(KEY));
    const again = await w.fx.run('aws.deactivateKey', key(KEY));
    expect((w.recordOf('action.succeeded', again)!.data as { message: string }).message).toMatch(/^already applied/);
    expect(w.mutations()).toHaveLength(2);
  });

  it('verify fails when the key is reactivated behind its back', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.deactivateKey', key(KEY));
    keyOf(w).status = 'Active';
    expect(await w.fx.runner.reverify(id)).toBe('verify-failed');
    expect((w.records('action.verified').at(-1)!.data as { detail: string }).detail).toBe(
      `access key ${KEY} is Active, not Inactive`,
    );
  });

  it('verify fails when the revocation policy is removed behind its back', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.deactivateKey', key(KEY));
    w.iam.users.get('ci-bot')!.policies.delete(REVOKE_SESSIONS_POLICY);
    expect(await w.fx.runner.reverify(id)).toBe('verify-failed');
  });

  it('refuses a temporary ASIA key and points to the role', async () => {
    const w = await iamWorld();
    await expect(w.fx.runner.plan('aws.deactivateKey', key('ASIAY34FZKBOKMUTVV7A'))).rejects.toThrow(
      /temporary.*aws\.denyAllRole/,
    );
    expect(w.rec.calls).toEqual([]);
    expect(w.fx.runner.unavailable(w.fx.runner.def('aws.deactivateKey'), key('ASIAY34FZKBOKMUTVV7A'))).toMatch(
      /cannot be deactivated/,
    );
  });

  it('AccessDenied on UpdateAccessKey is journaled as a failure and the key stays Active', async () => {
    const w = await iamWorld();
    w.rec.fail({
      op: 'UpdateAccessKey',
      status: 403,
      code: 'AccessDenied',
      message: 'not authorized to perform: iam:UpdateAccessKey',
    });
    const id = await w.contain('aws.deactivateKey', key(KEY));
    expect(w.fx.runner.status(id)).toBe('failed');
    const f = w.recordOf('action.failed', id)!.data as {
      code: string;
      message: string;
      hint: string;
      requestIds: string[];
    };
    expect(f).toMatchObject({ code: 'AccessDenied' });
    expect(f.message).toContain('iam:UpdateAccessKey');
    expect(f.hint).toMatch(/lack permission/);
    expect(f.requestIds).toEqual([requestIdOf(w.rec.of('UpdateAccessKey')[0]!)]);
    expect(keyOf(w).status).toBe('Active');
    expect(w.rec.of('PutUserPolicy')).toEqual([]);
  });

  it('an unknown key fails the plan with NoSuchEntity', async () => {
    const w = await iamWorld();
    await expect(w.fx.runner.plan('aws.deactivateKey', key('AKIAZZZZZZZZZZZZZZZZ'))).rejects.toThrow(/cannot be found/);
    expect(w.records('action.failed')[0]!.data).toMatchObject({ stage: 'plan', code: 'NoSuchEntityException' });
  });
});

describe('aws.reactivateKey (undo)', () => {
  it('sets the key Active again and deletes the revocation policy', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.deactivateKey', key(KEY));
    const undo = await w.undo(id);
    expect(w.fx.runner.status(undo)).toBe('verified');
    const upd = w.rec.of('UpdateAccessKey').at(-1)!;
    expect(upd.params).toMatchObject({ AccessKeyId: KEY, Status: 'Active' });
    expect(w.rec.of('DeleteUserPolicy').map((c) => c.params['PolicyName'])).toEqual([REVOKE_SESSIONS_POLICY]);
    expect(keyOf(w).status).toBe('Active');
    expect(w.iam.users.get('ci-bot')!.policies.has(REVOKE_SESSIONS_POLICY)).toBe(false);
  });

  it('leaves a key Inactive that was Inactive before', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.deactivateKey', key('AKIAI44QH8DHBEXAMPLE'));
    expect(w.rec.of('UpdateAccessKey')).toEqual([]);
    const undo = await w.undo(id);
    expect(w.fx.store.getState().state.actions.get(undo)!.planned.params['status']).toBe('Inactive');
    expect(w.rec.of('UpdateAccessKey')).toEqual([]);
    expect(keyOf(w, 'AKIAI44QH8DHBEXAMPLE').status).toBe('Inactive');
    expect(w.fx.runner.status(undo)).toBe('verified');
  });
});
