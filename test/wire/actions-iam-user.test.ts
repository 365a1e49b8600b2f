// aws.denyAllUser and its undo aws.restoreUser through the ActionRunner, real IAM client against
// the IAM sim on 127.0.0.1.

import { describe, expect, it } from 'vitest';
import { DENY_ALL_POLICY, REVOKE_SESSIONS_POLICY } from '../../src/actions/aws/iam/policies.js';
import { requestIdOf } from '@firebreak/cloud-sim';
import { iamWorld, revokeDoc, sentDocument, user } from './iam-harness.js';

describe('aws.denyAllUser', () => {
  it("plans with the user's keys and console access in the blast radius", async () => {
    const w = await iamWorld();
    const id = await w.fx.runner.plan('aws.denyAllUser', user('ci-bot'));
    const p = w.fx.store.getState().state.actions.get(id)!.planned;
    const blast = p.blastRadius.join('\n');
    expect(blast).toContain('access key AKIAIOSFODNN7EXAMPLE (Active)');
    expect(blast).toContain('access key AKIAI44QH8DHBEXAMPLE (Inactive)');
    expect(blast).toContain('console sign-in (a password is set)');
    expect(blast).toContain('other inline policies stay (deploy)');
    expect(w.rec.calls.map((c) => c.op)).toEqual(['GetUser', 'ListUserPolicies', 'ListAccessKeys', 'GetLoginProfile']);
  });

  it('a user with a path in its ARN is addressed by its name; no console password is said plainly', async () => {
    const w = await iamWorld({ account: '123456789012', users: [{ name: 'alice', path: '/dev/' }] });
    const id = await w.fx.runner.plan('aws.denyAllUser', user('dev/alice'));
    const p = w.fx.store.getState().state.actions.get(id)!.planned;
    expect(p.params['userName']).toBe('alice');
    expect(p.blastRadius.join('\n')).toContain('no console password');
    expect(p.blastRadius.join('\n')).toContain('the user has no access keys');
  });

  it('dry run is simulated and read-only', async () => {
    const w = await iamWorld();
    const id = await w.fx.runner.plan('aws.denyAllUser', user('ci-bot'));
    const r = await w.fx.runner.dryRun(id);
    expect(r).toMatchObject({ kind: 'simulated', ok: true });
    expect(w.mutations()).toEqual([]);
  });

  it('writes both user policies once with PutUserPolicy and verifies them', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.denyAllUser', user('ci-bot'));
    const puts = w.rec.of('PutUserPolicy');
    expect(puts.map((c) => [c.params['UserName'], c.params['PolicyName']])).toEqual([
      ['ci-bot', DENY_ALL_POLICY],
      ['ci-bot', REVOKE_SESSIONS_POLICY],
    ]);
    expect(sentDocument(puts[1]!)).toEqual(revokeDoc());
    expect(w.fx.runner.status(id)).toBe('verified');
    await expect(w.fx.runner.execute(id)).rejects.toThrow(/never run twice/);
    expect(w.mutations()).toHaveLength(2);
  });

  it('verify fails when the deny-all is edited behind its back', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.denyAllUser', user('ci-bot'));
    w.iam.users
      .get('ci-bot')!
      .policies.set(
        DENY_ALL_POLICY,
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
      );
    expect(await w.fx.runner.reverify(id)).toBe('verify-failed');
  });

  it('an AccessDenied from GetUserPolicy is not read as "no policy": the action fails before writing', async () => {
    const w = await iamWorld();
    w.rec.fail({
      op: 'GetUserPolicy',
      status: 403,
      code: 'AccessDenied',
      message: 'not authorized to perform: iam:GetUserPolicy',
    });
    const id = await w.contain('aws.denyAllUser', user('ci-bot'));
    expect(w.fx.runner.status(id)).toBe('failed');
    expect(w.recordOf('action.failed', id)!.data).toMatchObject({
      code: 'AccessDenied',
      requestIds: [requestIdOf(w.rec.of('GetUserPolicy')[0]!)],
    });
    expect(w.mutations()).toEqual([]);
  });

  it('Throttling on PutUserPolicy is journaled, one call made', async () => {
    const w = await iamWorld();
    w.rec.fail({ op: 'PutUserPolicy', status: 400, code: 'Throttling', message: 'Rate exceeded' });
    const id = await w.contain('aws.denyAllUser', user('ci-bot'));
    expect(w.recordOf('action.failed', id)!.data).toMatchObject({ code: 'Throttling', stage: 'execute' });
    expect(w.rec.of('PutUserPolicy')).toHaveLength(1);
  });

  it('a missing user fails the plan with NoSuchEntity', async () => {
    const w = await iamWorld();
    await expect(w.fx.runner.plan('aws.denyAllUser', user('ghost'))).rejects.toThrow(
      /The user with name ghost cannot be found/,
    );
  });
});

describe('aws.restoreUser (undo)', () => {
  it("deletes both policies and leaves the user's own policy alone", async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.denyAllUser', user('ci-bot'));
    const undo = await w.undo(id);
    expect(w.fx.runner.status(undo)).toBe('verified');
    expect(w.rec.of('DeleteUserPolicy').map((c) => c.params['PolicyName'])).toEqual([
      DENY_ALL_POLICY,
      REVOKE_SESSIONS_POLICY,
    ]);
    expect([...w.iam.users.get('ci-bot')!.policies.keys()]).toEqual(['deploy']);
  });

  it('dry run of the undo is simulated and read-only', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.denyAllUser', user('ci-bot'));
    const undo = await w.fx.runner.planUndo(id);
    const before = w.mutations().length;
    const r = await w.fx.runner.dryRun(undo);
    expect(r.message).toContain(`${DENY_ALL_POLICY}: would be deleted`);
    expect(w.mutations()).toHaveLength(before);
  });
});
