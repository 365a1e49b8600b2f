// aws.denyAllRole and its undo aws.restoreRole, through the ActionRunner, with the real IAM client
// against the IAM sim on 127.0.0.1: the exact requests, the dry run, a double press, failures
// journaled with message / hint / request id, verify catching a change behind its back, undo.

import { dirname } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { IAM_ACTIONS } from '../../src/actions/aws/iam/index.js';
import { DENY_ALL_POLICY, REVOKE_SESSIONS_POLICY } from '../../src/actions/aws/iam/policies.js';
import { requestIdOf } from '@firebreak/cloud-sim';
import { actionFixture } from '../helpers/action-fixture.js';
import { CUTOFF, EVIDENCE_STUBS, NOW, iamWorld, revokeDoc, role, sentDocument } from './iam-harness.js';

const DENY_ALL = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'FirebreakIncidentDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
};

describe('aws.denyAllRole', () => {
  it('plans the exact policies with the cut-off, and shows every workload sharing the role', async () => {
    const w = await iamWorld();
    const id = await w.fx.runner.plan('aws.denyAllRole', role('prod-db-reader'));
    const p = w.fx.store.getState().state.actions.get(id)!.planned;
    expect(p.params['roleName']).toBe('prod-db-reader');
    expect(p.params['cutoff']).toBe(CUTOFF);
    const docs = p.params['policies'] as Record<string, string>;
    expect(JSON.parse(docs[DENY_ALL_POLICY]!)).toEqual(DENY_ALL);
    expect(JSON.parse(docs[REVOKE_SESSIONS_POLICY]!)).toEqual(revokeDoc());
    const blast = p.blastRadius.join('\n');
    expect(blast).toContain('EC2 instances, Lambda functions, ECS tasks, and people or services assuming it');
    expect(blast).toContain('instance profile prod-db-reader-profile');
    expect(blast).toContain('instance profile batch-workers');
    expect(blast).toContain('Service lambda.amazonaws.com');
    expect(blast).toContain('AWS arn:aws:iam::123456789012:role/ci-deployer');
    expect(blast).toContain(`sessions issued before ${CUTOFF} are revoked`);
    expect(blast).toContain('other inline policies stay (read-rds)');
    const warn = p.warnings.join('\n');
    expect(warn).toMatch(/eventually consistent/);
    expect(warn).toMatch(/Identity Center/);
    expect(warn).toMatch(/root user cannot be restricted/);
    expect(warn).toMatch(/sessions issued after it/);
    expect(p.calls.filter((c) => c.mutating).map((c) => c.op)).toEqual(['PutRolePolicy', 'PutRolePolicy']);
    expect(w.mutations()).toEqual([]);
    expect(w.rec.calls.map((c) => c.op)).toEqual(['GetRole', 'ListRolePolicies', 'ListInstanceProfilesForRole']);
  });

  it('dry run is a labelled, read-only simulation', async () => {
    const w = await iamWorld();
    const id = await w.fx.runner.plan('aws.denyAllRole', role('prod-db-reader'));
    const r = await w.fx.runner.dryRun(id);
    expect(r.kind).toBe('simulated');
    expect(r.ok).toBe(true);
    expect(r.message).toContain('not service-linked');
    expect(r.message).toContain(`${DENY_ALL_POLICY}: would be created`);
    expect(w.mutations()).toEqual([]);
    expect(w.iam.roles.get('prod-db-reader')!.policies.has(DENY_ALL_POLICY)).toBe(false);
  });

  it('writes both policies once, exactly, and verifies them by reading back', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.denyAllRole', role('prod-db-reader'));
    const puts = w.rec.of('PutRolePolicy');
    expect(puts.map((c) => [c.params['RoleName'], c.params['PolicyName']])).toEqual([
      ['prod-db-reader', DENY_ALL_POLICY],
      ['prod-db-reader', REVOKE_SESSIONS_POLICY],
    ]);
    expect(puts[0]!.params['Version']).toBe('2010-05-08');
    expect(sentDocument(puts[0]!)).toEqual(DENY_ALL);
    expect(sentDocument(puts[1]!)).toEqual(revokeDoc());
    expect(new Date(CUTOFF).getTime()).toBeGreaterThanOrEqual(NOW.getTime());
    expect(w.fx.runner.status(id)).toBe('verified');
    const ok = w.recordOf('action.succeeded', id)!.data as { outputs: Record<string, unknown>; requestIds: string[] };
    expect(ok.outputs['previous']).toEqual({ [DENY_ALL_POLICY]: null, [REVOKE_SESSIONS_POLICY]: null });
    expect(ok.requestIds).toEqual(expect.arrayContaining([expect.stringMatching(/^[0-9a-f-]{36}$/)]));
    expect((w.recordOf('action.verified', id)!.data as { detail: string }).detail).toContain('in place');
    // The existing Allow is untouched: the Deny wins over it.
    expect(w.iam.roles.get('prod-db-reader')!.policies.has('read-rds')).toBe(true);
  });

  it('a double press makes one call per policy', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.denyAllRole', role('prod-db-reader'));
    await expect(w.fx.runner.execute(id)).rejects.toThrow(/never run twice/);
    expect(w.mutations().map((c) => c.op)).toEqual(['PutRolePolicy', 'PutRolePolicy']);
  });

  it('running it again with the same documents in place reports "already applied" and writes nothing', async () => {
    const w = await iamWorld();
    await w.contain('aws.denyAllRole', role('prod-db-reader'));
    const second = await w.fx.run('aws.denyAllRole', role('prod-db-reader'));
    expect(w.mutations()).toHaveLength(2);
    expect((w.recordOf('action.succeeded', second)!.data as { message: string }).message).toMatch(/^already applied/);
    expect(w.fx.runner.status(second)).toBe('verified');
  });

  it('verify fails when the policy is changed behind its back', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.denyAllRole', role('prod-db-reader'));
    w.iam.roles
      .get('prod-db-reader')!
      .policies.set(REVOKE_SESSIONS_POLICY, JSON.stringify(revokeDoc('2020-01-01T00:00:00Z')));
    expect(await w.fx.runner.reverify(id)).toBe('verify-failed');
    const v = w.records('action.verified').at(-1)!.data as { ok: boolean; detail: string };
    expect(v.detail).toContain(`inline policy ${REVOKE_SESSIONS_POLICY} is not the document written`);
    w.iam.roles.get('prod-db-reader')!.policies.delete(DENY_ALL_POLICY);
    expect(await w.fx.runner.reverify(id)).toBe('verify-failed');
    expect((w.records('action.verified').at(-1)!.data as { detail: string }).detail).toContain(
      `no inline policy ${DENY_ALL_POLICY}`,
    );
  });

  it('refuses a service-linked role at plan time, journaled, with no call to change it', async () => {
    const w = await iamWorld();
    await expect(w.fx.runner.plan('aws.denyAllRole', role('AWSServiceRoleForECS'))).rejects.toThrow(/service-linked/);
    const f = w.records('action.failed')[0]!.data as { stage: string; code: string; message: string; hint: string };
    expect(f).toMatchObject({ stage: 'plan', code: 'UnmodifiableEntity' });
    expect(f.message).toContain('/aws-service-role/ecs.amazonaws.com/');
    expect(f.hint).toBeTruthy();
    expect(w.mutations()).toEqual([]);
  });

  it('the sim itself refuses inline policies on a service-linked role (UnmodifiableEntity)', async () => {
    const w = await iamWorld();
    const { PutRolePolicyCommand } = await import('@aws-sdk/client-iam');
    await expect(
      w.env.aws!.iam.send(
        new PutRolePolicyCommand({
          RoleName: 'AWSServiceRoleForECS',
          PolicyName: 'x',
          PolicyDocument: JSON.stringify(DENY_ALL),
        }),
      ),
    ).rejects.toMatchObject({ name: 'UnmodifiableEntityException', $metadata: { httpStatusCode: 400 } });
  });

  it('AccessDenied on PutRolePolicy is journaled as action.failed with message, hint and request id', async () => {
    const w = await iamWorld();
    w.rec.fail({
      op: 'PutRolePolicy',
      status: 403,
      code: 'AccessDenied',
      message: 'User: arn:aws:sts::123456789012:assumed-role/ro/alice is not authorized to perform: iam:PutRolePolicy',
    });
    const id = await w.contain('aws.denyAllRole', role('prod-db-reader'));
    expect(w.fx.runner.status(id)).toBe('failed');
    const f = w.recordOf('action.failed', id)!.data as {
      stage: string;
      code: string;
      message: string;
      hint: string;
      requestIds: string[];
    };
    expect(f.stage).toBe('execute');
    expect(f.code).toBe('AccessDenied');
    expect(f.message).toContain('not authorized to perform: iam:PutRolePolicy');
    expect(f.message).toContain('HTTP 403');
    expect(f.hint).toMatch(/lack permission/);
    expect(f.requestIds).toEqual([requestIdOf(w.rec.of('PutRolePolicy')[0]!)]);
    expect(w.recordOf('action.succeeded', id)).toBeUndefined();
    expect(w.iam.roles.get('prod-db-reader')!.policies.has(DENY_ALL_POLICY)).toBe(false);
  });

  it('Throttling is journaled as a failure telling the responder to run it again (no retry by itself)', async () => {
    const w = await iamWorld();
    w.rec.fail({ op: 'PutRolePolicy', status: 400, code: 'Throttling', message: 'Rate exceeded' });
    const id = await w.contain('aws.denyAllRole', role('prod-db-reader'));
    const f = w.recordOf('action.failed', id)!.data as { code: string; hint: string; requestIds: string[] };
    expect(f.code).toBe('Throttling');
    expect(f.hint).toMatch(/run the action again/);
    expect(f.requestIds).toEqual([requestIdOf(w.rec.of('PutRolePolicy')[0]!)]);
    expect(w.rec.of('PutRolePolicy')).toHaveLength(1);
  });

  it('NoSuchEntity (the role is gone) fails the plan, journaled', async () => {
    const w = await iamWorld();
    await expect(w.fx.runner.plan('aws.denyAllRole', role('deleted-role'))).rejects.toThrow(/cannot be found/);
    const f = w.records('action.failed')[0]!.data as {
      stage: string;
      code: string;
      hint: string;
      requestIds: string[];
    };
    expect(f).toMatchObject({ stage: 'plan', code: 'NoSuchEntityException' });
    expect(f.hint).toMatch(/not there/);
    expect(f.requestIds).toEqual([requestIdOf(w.rec.of('GetRole')[0]!)]);
  });

  it('is refused before evidence is preserved, unless the incident commander overrides with a reason', async () => {
    const w = await iamWorld();
    await expect(w.fx.run('aws.denyAllRole', role('prod-db-reader'))).rejects.toThrow(/evidence first/);
    expect(w.mutations()).toEqual([]);
    await w.fx.store.getState().actions.assignRole('ic', 'Dana Whitfield');
    const id = await w.fx.run('aws.denyAllRole', role('prod-db-reader'), 'attacker is deleting snapshots right now');
    expect(w.fx.runner.status(id)).toBe('verified');
    expect(w.recordOf('action.confirmed', id)!.data).toMatchObject({
      override: { basis: 'commander', commander: 'Dana Whitfield' },
    });
  });
});

describe('aws.restoreRole (undo)', () => {
  it('deletes both policies when firebreak created them, and verifies they are gone', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.denyAllRole', role('prod-db-reader'));
    const undo = await w.undo(id);
    expect(w.rec.of('DeleteRolePolicy').map((c) => c.params['PolicyName'])).toEqual([
      DENY_ALL_POLICY,
      REVOKE_SESSIONS_POLICY,
    ]);
    expect(w.fx.runner.status(undo)).toBe('verified');
    expect([...w.iam.roles.get('prod-db-reader')!.policies.keys()]).toEqual(['read-rds']);
  });

  it('puts back a policy of the same name that was there before', async () => {
    const w = await iamWorld();
    const before = JSON.stringify(revokeDoc('2025-12-01T00:00:00Z'));
    w.iam.roles.get('prod-db-reader')!.policies.set(REVOKE_SESSIONS_POLICY, before);
    const id = await w.contain('aws.denyAllRole', role('prod-db-reader'));
    const out = (w.recordOf('action.succeeded', id)!.data as { outputs: { previous: Record<string, unknown> } }).outputs
      .previous;
    expect(out[REVOKE_SESSIONS_POLICY]).toBe(before);
    const plan = w.fx.store.getState().state.actions.get(id)!.planned;
    expect(plan.blastRadius.join('\n')).toContain(`overwrites the existing inline policy ${REVOKE_SESSIONS_POLICY}`);
    const undo = await w.undo(id);
    expect(w.fx.runner.status(undo)).toBe('verified');
    expect(w.rec.of('DeleteRolePolicy').map((c) => c.params['PolicyName'])).toEqual([DENY_ALL_POLICY]);
    const put = w.rec.of('PutRolePolicy').at(-1)!;
    expect(put.params['PolicyName']).toBe(REVOKE_SESSIONS_POLICY);
    expect(sentDocument(put)).toEqual(revokeDoc('2025-12-01T00:00:00Z'));
    expect(w.iam.roles.get('prod-db-reader')!.policies.get(REVOKE_SESSIONS_POLICY)).toBe(before);
  });

  it('after a crash left the deny-all in doubt: re-verified, then undone with the unknown previous state said plainly', async () => {
    const w = await iamWorld();
    await w.fx.run('aws.preserveCloudTrail', role('prod-db-reader'));
    const id = await w.fx.runner.plan('aws.denyAllRole', role('prod-db-reader'));
    const planned = w.fx.store.getState().state.actions.get(id)!.planned;
    await w.fx.runner.confirm(id, planned.paramsHash);
    // The process dies after started is durable and the calls landed, before the outcome.
    await w.fx.store
      .getState()
      .actions.recordAction('action.started', { actionId: id, paramsHash: planned.paramsHash, idempotencyToken: id });
    const docs = planned.params['policies'] as Record<string, string>;
    for (const [name, doc] of Object.entries(docs)) w.iam.roles.get('prod-db-reader')!.policies.set(name, doc);
    await w.fx.close();
    const fx2 = await actionFixture(dirname(w.fx.file), w.env, {
      defs: [...IAM_ACTIONS, ...EVIDENCE_STUBS],
      backends: ['aws'],
      journal: w.fx.file,
    });
    onTestFinished(() => fx2.close());
    expect(fx2.runner.status(id)).toBe('in-doubt');
    expect(await fx2.runner.reverify(id)).toBe('verified');
    const undo = await fx2.runner.planUndo(id);
    const up = fx2.store.getState().state.actions.get(undo)!.planned;
    expect(up.warnings.join('\n')).toMatch(/unknown \(the action was in doubt\): both policies are deleted/);
    expect(up.params['restore']).toEqual({ [DENY_ALL_POLICY]: null, [REVOKE_SESSIONS_POLICY]: null });
    expect(w.mutations()).toEqual([]);
  });

  it('undo verify fails when the deny-all comes back behind its back', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.denyAllRole', role('prod-db-reader'));
    const undo = await w.undo(id);
    w.iam.roles.get('prod-db-reader')!.policies.set(DENY_ALL_POLICY, JSON.stringify(DENY_ALL));
    expect(await w.fx.runner.reverify(undo)).toBe('verify-failed');
  });
});
