// A deactivate-key that half-applies: UpdateAccessKey lands, PutUserPolicy answers 500. The action
// is `partial` (not plain failed), the read-back runs at once and says which part is in place,
// every mutating call's outcome is journaled, the state undo needs was captured before the first
// mutating call and both ways out work: complete (only the missing call) and undo what was applied.
// The role's deny-all (two PutRolePolicy calls, the second failing) is held to the same rules.

import { describe, expect, it } from 'vitest';
import { DENY_ALL_POLICY, REVOKE_SESSIONS_POLICY } from '../../src/actions/aws/iam/policies.js';
import { iamWorld, key, role, user } from './iam-harness.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
type World = Awaited<ReturnType<typeof iamWorld>>;
const keyOf = (w: World) => w.iam.users.get('ci-bot')!.keys.find((k) => k.id === KEY)!;
const hasPolicy = (w: World) => w.iam.users.get('ci-bot')!.policies.has(REVOKE_SESSIONS_POLICY);

async function halfDeactivated(
  fault: { status: number; code: string; afterApply?: boolean; drop?: boolean; times?: number } = {
    status: 500,
    code: 'ServiceFailure',
  },
) {
  const w = await iamWorld();
  w.rec.fail({ op: 'PutUserPolicy', message: 'internal failure', ...fault });
  const id = await w.contain('aws.deactivateKey', key(KEY));
  return { w, id };
}

async function confirmAndRun(w: World, id: string) {
  await w.fx.runner.confirm(id, w.fx.store.getState().state.actions.get(id)!.planned.paramsHash);
  return w.fx.runner.execute(id);
}

describe('a half-applied aws.deactivateKey', () => {
  it('is partial, with the read-back saying which part is in place', async () => {
    const { w, id } = await halfDeactivated();
    expect(keyOf(w).status).toBe('Inactive');
    expect(hasPolicy(w)).toBe(false);
    expect(w.fx.runner.status(id)).toBe('partial');
    const a = w.fx.store.getState().state.actions.get(id)!;
    const rb = a.verified.at(-1)!;
    expect(rb).toMatchObject({ ok: false, afterFailure: true });
    expect(rb.parts).toEqual([
      { what: `access key ${KEY} Inactive`, inPlace: true },
      { what: `${REVOKE_SESSIONS_POLICY} on user ci-bot`, inPlace: false },
    ]);
    // Every mutating call's outcome, in order, with the server's request id.
    expect(a.calls.map((c) => [c.op, c.ok])).toEqual([
      ['UpdateAccessKey', true],
      ['PutUserPolicy', false],
    ]);
    expect(a.calls[0]!.requestId).toMatch(/./);
    // What undo needs was journaled before the first mutating call.
    expect(a.captured?.outputs).toMatchObject({ previousStatus: 'Active' });
    const types = w.records().map((r) => r.type);
    expect(types.indexOf('action.captured')).toBeLessThan(types.indexOf('action.call'));
  });

  it('complete re-runs only the missing call, and keeps the state captured before the first attempt', async () => {
    const { w, id } = await halfDeactivated();
    const before = w.rec.of('UpdateAccessKey').length;
    const done = await w.fx.runner.planComplete(id);
    expect(w.fx.store.getState().state.actions.get(done)!.planned).toMatchObject({ completes: id });
    expect(await confirmAndRun(w, done)).toBe('verified');
    expect(w.rec.of('UpdateAccessKey').length).toBe(before);
    expect(hasPolicy(w)).toBe(true);
    // The retry saw an Inactive key; undo must still restore the original Active.
    const succeeded = w.fx.store.getState().state.actions.get(done)!.succeeded!;
    expect(succeeded.outputs).toMatchObject({ previousStatus: 'Active' });
    const undo = await w.undo(done);
    expect(w.fx.runner.status(undo)).toBe('verified');
    expect(keyOf(w).status).toBe('Active');
    expect(hasPolicy(w)).toBe(false);
  });

  it('undo of the partial action gives back exactly what was applied', async () => {
    const { w, id } = await halfDeactivated();
    const undo = await w.undo(id);
    expect(w.fx.runner.status(undo)).toBe('verified');
    expect(keyOf(w).status).toBe('Active');
    expect(hasPolicy(w)).toBe(false);
  });

  it('an error answered after the server applied the change is settled by read-back: verified', async () => {
    const { w, id } = await halfDeactivated({ status: 500, code: 'ServiceFailure', afterApply: true });
    expect(hasPolicy(w)).toBe(true);
    expect(w.fx.runner.status(id)).toBe('verified');
    expect(w.fx.store.getState().state.actions.get(id)!.verified.at(-1)).toMatchObject({
      ok: true,
      afterFailure: true,
    });
    // And it can be undone like any applied action.
    const undo = await w.undo(id);
    expect(w.fx.runner.status(undo)).toBe('verified');
    expect(keyOf(w).status).toBe('Active');
  });

  it('a failure before anything applied stays plain failed, and nothing can be completed or undone', async () => {
    const w = await iamWorld();
    w.rec.fail({ op: 'UpdateAccessKey', status: 403, code: 'AccessDenied', message: 'denied' });
    const id = await w.contain('aws.deactivateKey', key(KEY));
    expect(w.fx.runner.status(id)).toBe('failed');
    await expect(w.fx.runner.planComplete(id)).rejects.toThrow(/only a partial action/);
    await expect(w.fx.runner.planUndo(id)).rejects.toThrow(/nothing to undo/);
  });
});

// The role's deny-all is two writes too: the deny-all policy, then the session revocation.
describe('a half-applied aws.denyAllRole (the second PutRolePolicy answers 503)', () => {
  const ROLE = 'prod-db-reader';
  const policies = (w: World) => [...w.iam.roles.get(ROLE)!.policies.keys()].sort();

  async function halfDenied() {
    const w = await iamWorld();
    w.rec.fail({ op: 'PutRolePolicy', skip: 1, status: 503, code: 'ServiceUnavailable', message: 'try again' });
    const id = await w.contain('aws.denyAllRole', role(ROLE));
    return { w, id };
  }

  it('is partial: the deny-all is in place, the revocation is not, each call journaled', async () => {
    const { w, id } = await halfDenied();
    expect(policies(w)).toEqual([DENY_ALL_POLICY, 'read-rds']);
    expect(w.fx.runner.status(id)).toBe('partial');
    const a = w.fx.store.getState().state.actions.get(id)!;
    expect(a.calls.map((c) => [c.op, c.ok, c.status])).toEqual([
      ['PutRolePolicy', true, 200],
      ['PutRolePolicy', false, 503],
    ]);
    expect(a.verified.at(-1)!.parts?.map((p) => p.inPlace)).toEqual([true, false]);
  });

  it('complete adds the revocation; undo then removes both and leaves the role as it was', async () => {
    const { w, id } = await halfDenied();
    const done = await w.fx.runner.planComplete(id);
    expect(await confirmAndRun(w, done)).toBe('verified');
    expect(policies(w)).toEqual([REVOKE_SESSIONS_POLICY, DENY_ALL_POLICY, 'read-rds'].sort());
    const undo = await w.undo(done);
    expect(w.fx.runner.status(undo)).toBe('verified');
    expect(policies(w)).toEqual(['read-rds']);
  });

  it('undo of the partial action removes the deny-all it put', async () => {
    const { w, id } = await halfDenied();
    const undo = await w.undo(id);
    expect(w.fx.runner.status(undo)).toBe('verified');
    expect(policies(w)).toEqual(['read-rds']);
  });
});

// The user's deny-all writes the same two policies with PutUserPolicy (deny-all-user.ts); a
// user's existing inline policy (`deploy`) must come through complete and undo untouched.
describe('a half-applied aws.denyAllUser (the second PutUserPolicy answers 503)', () => {
  const USER = 'ci-bot';
  const policies = (w: World) => [...w.iam.users.get(USER)!.policies.keys()].sort();

  async function halfDenied() {
    const w = await iamWorld();
    w.rec.fail({ op: 'PutUserPolicy', skip: 1, status: 503, code: 'ServiceUnavailable', message: 'try again' });
    const id = await w.contain('aws.denyAllUser', user(USER));
    return { w, id };
  }

  it('is partial: the deny-all is in place, the revocation is not, each call journaled', async () => {
    const { w, id } = await halfDenied();
    expect(policies(w)).toEqual([DENY_ALL_POLICY, 'deploy'].sort());
    expect(w.fx.runner.status(id)).toBe('partial');
    const a = w.fx.store.getState().state.actions.get(id)!;
    expect(a.calls.map((c) => [c.op, c.ok, c.status])).toEqual([
      ['PutUserPolicy', true, 200],
      ['PutUserPolicy', false, 503],
    ]);
    expect(a.verified.at(-1)!.parts).toEqual([
      { what: expect.stringContaining(DENY_ALL_POLICY), inPlace: true },
      { what: expect.stringContaining(REVOKE_SESSIONS_POLICY), inPlace: false },
    ]);
  });

  it('complete writes only the revocation; undo then removes both and keeps its own deploy policy', async () => {
    const { w, id } = await halfDenied();
    const before = w.rec.of('PutUserPolicy').length;
    const done = await w.fx.runner.planComplete(id);
    expect(await confirmAndRun(w, done)).toBe('verified');
    expect(
      w.rec
        .of('PutUserPolicy')
        .slice(before)
        .map((c) => c.params['PolicyName']),
    ).toEqual([REVOKE_SESSIONS_POLICY]);
    expect(policies(w)).toEqual([REVOKE_SESSIONS_POLICY, DENY_ALL_POLICY, 'deploy'].sort());
    const undo = await w.undo(done);
    expect(w.fx.runner.status(undo)).toBe('verified');
    expect(policies(w)).toEqual(['deploy']);
  });

  it('undo of the partial action removes the deny-all it put, and nothing else', async () => {
    const { w, id } = await halfDenied();
    const undo = await w.undo(id);
    expect(w.fx.runner.status(undo)).toBe('verified');
    expect(policies(w)).toEqual(['deploy']);
  });

  it('a 500 answered after the revocation applied is settled by read-back: verified', async () => {
    const w = await iamWorld();
    w.rec.fail({ op: 'PutUserPolicy', skip: 1, status: 500, code: 'ServiceFailure', message: 'x', afterApply: true });
    const id = await w.contain('aws.denyAllUser', user(USER));
    expect(w.fx.runner.status(id)).toBe('verified');
    expect(policies(w)).toEqual([REVOKE_SESSIONS_POLICY, DENY_ALL_POLICY, 'deploy'].sort());
  });
});

// A connection cut instead of an answer: no status, no request id, and the write may have landed.
describe('aws.deactivateKey when the connection drops on PutUserPolicy (every attempt)', () => {
  it('not applied: the failure is marked unanswered and the read-back finds it PARTIAL', async () => {
    const { w, id } = await halfDeactivated({ status: 0, code: '', drop: true, times: 10 });
    expect(hasPolicy(w)).toBe(false);
    const a = w.fx.store.getState().state.actions.get(id)!;
    expect(a.failed).toMatchObject({ unanswered: true });
    expect(a.calls.at(-1)).toMatchObject({ op: 'PutUserPolicy', ok: false });
    expect(a.calls.at(-1)!.status).toBeUndefined();
    expect(w.fx.runner.status(id)).toBe('partial');
  });

  it('applied before the cut: the read-back settles it as verified, not failed', async () => {
    const { w, id } = await halfDeactivated({ status: 0, code: '', drop: true, times: 10, afterApply: true });
    expect(hasPolicy(w)).toBe(true);
    expect(w.fx.runner.status(id)).toBe('verified');
    expect(w.fx.store.getState().state.actions.get(id)!.verified.at(-1)).toMatchObject({
      ok: true,
      afterFailure: true,
    });
  });
});

// A write that hangs past its deadline: the call aborts (it does not sit at "running" forever), the
// failure is unanswered, and the read-back decides what is in place.
describe('aws.deactivateKey when PutUserPolicy hangs past the deadline', () => {
  async function hung(afterApply: boolean) {
    const w = await iamWorld(undefined, { deadlineMs: 300 });
    w.rec.fail({ op: 'PutUserPolicy', status: 0, code: '', message: '', hang: true, times: 10, afterApply });
    const started = Date.now();
    const id = await w.contain('aws.deactivateKey', key(KEY));
    return { w, id, ms: Date.now() - started };
  }

  it('aborts at the deadline, journaled as unanswered; not applied: PARTIAL', async () => {
    const { w, id, ms } = await hung(false);
    expect(ms).toBeLessThan(10_000);
    const a = w.fx.store.getState().state.actions.get(id)!;
    expect(a.failed).toMatchObject({ unanswered: true, code: expect.stringMatching(/Timeout/i) });
    expect(w.fx.runner.status(id)).toBe('partial');
  }, 20_000);

  it('applied, then hung: VERIFIED by the read-back', async () => {
    const { w, id } = await hung(true);
    expect(hasPolicy(w)).toBe(true);
    expect(w.fx.runner.status(id)).toBe('verified');
  }, 20_000);
});

// Giving access back is two writes as well (UpdateAccessKey Active, then DeleteUserPolicy): an
// undo that half-applies is partial like any other action, names its parts, and completes.
describe('a half-applied undo of aws.deactivateKey (DeleteUserPolicy answers 500)', () => {
  async function halfUndone() {
    const w = await iamWorld();
    const id = await w.contain('aws.deactivateKey', key(KEY));
    expect(w.fx.runner.status(id)).toBe('verified');
    w.rec.fail({ op: 'DeleteUserPolicy', status: 500, code: 'ServiceFailure', message: 'internal failure' });
    const undo = await w.undo(id);
    return { w, id, undo };
  }

  it('is partial: the key is Active again, the revocation still stands, the parts say so', async () => {
    const { w, undo } = await halfUndone();
    expect(keyOf(w).status).toBe('Active');
    expect(hasPolicy(w)).toBe(true);
    expect(w.fx.runner.status(undo)).toBe('partial');
    expect(w.fx.store.getState().state.actions.get(undo)!.verified.at(-1)!.parts).toEqual([
      { what: `access key ${KEY} Active`, inPlace: true },
      { what: `${REVOKE_SESSIONS_POLICY} absent from user ci-bot`, inPlace: false },
    ]);
  });

  it('complete deletes only the revocation, and is still the undo of the deactivation', async () => {
    const { w, id, undo } = await halfUndone();
    const updates = w.rec.of('UpdateAccessKey').length;
    const done = await w.fx.runner.planComplete(undo);
    expect(await confirmAndRun(w, done)).toBe('verified');
    expect(w.rec.of('UpdateAccessKey').length).toBe(updates);
    expect(keyOf(w).status).toBe('Active');
    expect(hasPolicy(w)).toBe(false);
    // The completion is still an undo of the deactivation (the cockpit lists it under it).
    expect(w.fx.store.getState().state.actions.get(done)!.planned).toMatchObject({ undoOf: id, completes: undo });
  });
});
