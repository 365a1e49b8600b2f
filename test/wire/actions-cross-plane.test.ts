// Cross-plane containment with the real SDK clients: a pod's role found from its service
// account's IRSA annotation or an EKS Pod Identity association (Pod Identity first), hostile
// annotations reported and never acted on, and the bundle — capture, preserve CloudTrail,
// quarantine, deny-all + revoke — end to end, each step its own journaled action, with a failure
// injected at a step: what is in place is exactly what the journal and the screen say, and the
// undo of an applied step still works.

import { describe, expect, it } from 'vitest';
import { eksClusterName, parseRoleArn, resolvePodIdentity } from '../../src/actions/cross-plane/pod-identity.js';
import { bundleLines, dryRunBundle, planBundle, runBundle, type BundlePlan } from '../../store/action-bundle.js';
import { recordsOf } from './kube-action-harness.js';
import {
  ACCOUNT,
  crossPlane,
  crossPlaneSeed,
  EKS_CLUSTER,
  POD,
  ROLE,
  ROLE_ARN,
  type CrossPlane,
} from './cross-plane-harness.js';

const QUARANTINED = { quarantine: 'true', 'firebreak.io/incident': 'INC-2026-042' };
const withAssociation = (roleArn: string) => [
  {
    name: EKS_CLUSTER,
    associations: [{ namespace: 'shop', serviceAccount: 'web', roleArn, associationId: 'a-web000000000001' }],
  },
];

function deps(w: CrossPlane) {
  return { runner: w.fx.runner, store: w.fx.store };
}

function planned(w: CrossPlane): string[] {
  return w.fx
    .records()
    .filter((r) => r.type === 'action.planned')
    .map((r) => (r.data as { action: string }).action);
}

describe('resolving the role a pod holds', () => {
  it('finds the IRSA role on the pod service account', async () => {
    const w = await crossPlane();
    const id = await resolvePodIdentity(POD, w.env, { eksCluster: EKS_CLUSTER });
    expect(id).toMatchObject({
      serviceAccount: 'web',
      irsa: { arn: ROLE_ARN, name: ROLE, account: ACCOUNT },
      podIdentity: [],
      chosen: { via: 'irsa', name: ROLE },
    });
    expect(id.problems).toEqual([]);
    expect(w.kube.recorder.calls.map((c) => c.op)).toEqual(['get pods', 'get serviceaccounts']);
    expect(w.aws.of('ListPodIdentityAssociations')[0]!.query).toMatchObject({
      namespace: 'shop',
      serviceAccount: 'web',
    });
  });

  it('finds a Pod Identity association, and prefers it over IRSA naming another role', async () => {
    const other = `arn:aws:iam::${ACCOUNT}:role/shop-web-legacy`;
    const w = await crossPlane({
      kube: crossPlaneSeed({ 'eks.amazonaws.com/role-arn': other }),
      eks: withAssociation(ROLE_ARN),
    });
    const id = await resolvePodIdentity(POD, w.env, { eksCluster: EKS_CLUSTER });
    expect(id.podIdentity).toEqual([
      { arn: ROLE_ARN, name: ROLE, account: ACCOUNT, associationId: 'a-web000000000001' },
    ]);
    expect(id.irsa?.name).toBe('shop-web-legacy');
    expect(id.chosen).toMatchObject({ via: 'pod-identity', name: ROLE });
    expect(id.problems.join(' ')).toContain('IRSA also names role shop-web-legacy: Pod Identity takes precedence');
    expect(w.aws.of('DescribePodIdentityAssociation')[0]!.path).toBe(
      `/clusters/${EKS_CLUSTER}/pod-identity-associations/a-web000000000001`,
    );
  });

  it('finds none: no annotation, no association, and the bundle refuses with nothing planned', async () => {
    const w = await crossPlane({ kube: crossPlaneSeed() });
    const id = await resolvePodIdentity(POD, w.env, { eksCluster: EKS_CLUSTER });
    expect(id.chosen).toBeUndefined();
    expect(id.problems.join(' ')).toContain('no AWS role found for service account shop/web');
    await expect(planBundle(deps(w), POD, { eksCluster: EKS_CLUSTER })).rejects.toThrow('no AWS role found');
    expect(planned(w)).toEqual([]);
  });

  it('reports a malformed annotation and acts on nothing', async () => {
    const hostile = 'arn:aws:iam::123456789012:role/x\u001b[2J; rm -rf /';
    const w = await crossPlane({ kube: crossPlaneSeed({ 'eks.amazonaws.com/role-arn': hostile }) });
    const id = await resolvePodIdentity(POD, w.env, { eksCluster: EKS_CLUSTER });
    expect(id.irsa).toBeUndefined();
    expect(id.chosen).toBeUndefined();
    const problem = id.problems.find((p) => p.includes('not an IAM role ARN'))!;
    expect(problem).toContain('not acted on');
    expect(problem).not.toContain('\u001b');
    await expect(planBundle(deps(w), POD, { eksCluster: EKS_CLUSTER })).rejects.toThrow('not acted on');
    expect(planned(w)).toEqual([]);
  });

  it('reads every page of associations (EKS allows one per service account; the sim does not)', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({
      namespace: 'shop',
      serviceAccount: 'web',
      roleArn: i === 0 ? ROLE_ARN : `arn:aws:iam::${ACCOUNT}:role/extra-${i}`,
    }));
    const w = await crossPlane({ eks: [{ name: EKS_CLUSTER, associations: many }] });
    const id = await resolvePodIdentity(POD, w.env, { eksCluster: EKS_CLUSTER });
    expect(w.aws.of('ListPodIdentityAssociations').map((c) => 'nextToken' in c.query)).toEqual([false, true]);
    expect(id.podIdentity).toHaveLength(101);
    expect(id.chosen).toMatchObject({ via: 'pod-identity', name: ROLE });
    expect(id.problems.join(' ')).toContain(
      `101 Pod Identity associations for one service account (EKS allows one): using ${ROLE}`,
    );
  });

  it('reports an EKS lookup that fails and still uses IRSA', async () => {
    const w = await crossPlane();
    w.aws.fail({
      op: 'ListPodIdentityAssociations',
      status: 403,
      code: 'AccessDeniedException',
      message: 'not allowed',
    });
    const id = await resolvePodIdentity(POD, w.env, { eksCluster: EKS_CLUSTER });
    expect(id.chosen).toMatchObject({ via: 'irsa', name: ROLE });
    expect(id.problems.join(' ')).toContain(`EKS Pod Identity lookup in cluster ${EKS_CLUSTER} failed`);
  });

  it('parses role ARNs and EKS cluster names strictly', () => {
    expect(parseRoleArn('arn:aws:iam::123456789012:role/path/to/app')).toEqual({
      arn: 'arn:aws:iam::123456789012:role/path/to/app',
      account: '123456789012',
      name: 'app',
    });
    expect(parseRoleArn('arn:aws:iam::12345:role/app')).toBeUndefined();
    expect(parseRoleArn('arn:aws:iam::123456789012:user/app')).toBeUndefined();
    expect(eksClusterName('arn:aws:eks:eu-west-1:123456789012:cluster/shop-prod')).toBe('shop-prod');
    expect(eksClusterName('shop-prod.eu-west-1.eksctl.io')).toBe('shop-prod');
    expect(eksClusterName('kind-local', { eksCluster: 'shop-prod' })).toBe('shop-prod');
  });
});

describe('the cross-plane bundle', () => {
  async function planned4(w: CrossPlane): Promise<BundlePlan> {
    const plan = await planBundle(deps(w), POD, { eksCluster: EKS_CLUSTER });
    expect(plan.steps.map((s) => s.defId)).toEqual([
      'k8s.capturePod',
      'aws.preserveCloudTrail',
      'k8s.quarantinePod',
      'aws.denyAllRole',
    ]);
    return plan;
  }

  it('plans every step with its calls, confirms once with the role name and runs each as its own action', async () => {
    const w = await crossPlane();
    const plan = await planned4(w);
    expect(plan.confirmWith).toBe(ROLE);
    expect(plan.steps.map((s) => s.target.id)).toEqual([POD.id, ROLE, POD.id, ROLE]);
    const ops = plan.steps.flatMap((s) => s.calls.map((c) => c.op));
    expect(ops).toEqual(expect.arrayContaining(['LookupEvents', 'PutRolePolicy', 'GET pods/web-7d9f-abcde']));
    expect(recordsOf(w.fx, plan.steps[2]!.actionId, 'action.planned')[0]!.guidance).toContain(
      `step 3 of 4 of the cross-plane bundle: pod shop/web-7d9f-abcde holds role ${ROLE} (account ${ACCOUNT}) via IRSA annotation on service account web`,
    );
    // Planning changed nothing anywhere.
    expect(w.aws.calls.filter((c) => /^Put/.test(c.op))).toEqual([]);
    await expect(runBundle(deps(w), plan, 'web-7d9f-abcde', plan.hash)).rejects.toThrow(
      `type the role's name (${ROLE})`,
    );
    await expect(runBundle(deps(w), plan, ROLE, 'stale')).rejects.toThrow('changed since it was shown');
    const seen: string[] = [];
    const steps = await runBundle(deps(w), plan, ROLE, plan.hash, (s) => seen.push(s.map((x) => x.outcome).join(',')));
    expect(steps.map((s) => [s.status, s.outcome])).toEqual([
      ['verified', 'in place'],
      ['verified', 'in place'],
      ['verified', 'in place'],
      ['verified', 'in place'],
    ]);
    expect(seen.at(-1)).toBe('in place,in place,in place,in place');
    for (const s of steps)
      for (const type of [
        'action.planned',
        'action.confirmed',
        'action.started',
        'action.succeeded',
        'action.verified',
      ])
        expect(recordsOf(w.fx, s.actionId, type), `${s.defId} ${type}`).toHaveLength(1);
    // Evidence first, in the journal's own order.
    const started = w.fx
      .records()
      .filter((r) => r.type === 'action.started')
      .map((r) => (r.data as { actionId: string }).actionId);
    expect(started).toEqual(steps.map((s) => s.actionId));
    expect(w.fx.records().filter((r) => r.type === 'evidence.recorded').length).toBeGreaterThanOrEqual(2);
    expect(w.kube.get('pods', 'shop', 'web-7d9f-abcde')!.metadata.labels).toMatchObject(QUARANTINED);
    expect([...w.iam.roles.get(ROLE)!.policies.keys()].sort()).toEqual(
      ['AWSRevokeOlderSessions', 'firebreak-deny-all', 'read-rds'].sort(),
    );
    expect(bundleLines(plan, steps)[3]).toContain('AWSRevokeOlderSessions on role prod-db-reader: in place');
  });

  it('dry-runs every step, each journaled, changing nothing; the bundle then runs', async () => {
    const w = await crossPlane();
    const plan = await planned4(w);
    const dry = await dryRunBundle(deps(w), plan);
    expect(dry.map((s) => /^dry run \((\w+)\): (\w+) — /.exec(s.detail!)?.slice(1))).toEqual([
      ['simulated', 'ok'],
      ['simulated', 'ok'],
      ['server', 'ok'],
      ['simulated', 'ok'],
    ]);
    for (const s of plan.steps) expect(recordsOf(w.fx, s.actionId, 'action.dryrun'), s.defId).toHaveLength(1);
    expect(w.kube.get('pods', 'shop', 'web-7d9f-abcde')!.metadata.labels).not.toMatchObject(QUARANTINED);
    expect(w.aws.calls.filter((c) => /^Put/.test(c.op))).toEqual([]);
    const steps = await runBundle(deps(w), plan, ROLE, plan.hash);
    expect(steps.map((s) => s.outcome)).toEqual(['in place', 'in place', 'in place', 'in place']);
  });

  it('deny-all failing after the quarantine applied: quarantine in place, deny-all failed, revoke not run; the quarantine undoes', async () => {
    const w = await crossPlane();
    const plan = await planned4(w);
    w.aws.fail({
      op: 'PutRolePolicy',
      status: 403,
      code: 'AccessDenied',
      message: 'not authorized to perform: iam:PutRolePolicy',
    });
    const steps = await runBundle(deps(w), plan, ROLE, plan.hash);
    expect(steps.map((s) => s.outcome)).toEqual(['in place', 'in place', 'in place', 'failed']);
    const [, , quarantine, deny] = steps;
    expect(w.fx.runner.status(quarantine!.actionId)).toBe('verified');
    expect(w.fx.runner.status(deny!.actionId)).toBe('failed');
    expect(recordsOf(w.fx, deny!.actionId, 'action.failed')[0]).toMatchObject({
      stage: 'execute',
      code: 'AccessDenied',
    });
    expect(deny!.detail).toContain('not authorized to perform: iam:PutRolePolicy');
    // The revocation was never sent: one PutRolePolicy (the refused deny-all) and nothing after it.
    expect(w.aws.of('PutRolePolicy').map((c) => c.params['PolicyName'])).toEqual(['firebreak-deny-all']);
    expect([...w.iam.roles.get(ROLE)!.policies.keys()]).toEqual(['read-rds']);
    expect(w.kube.get('pods', 'shop', 'web-7d9f-abcde')!.metadata.labels).toMatchObject(QUARANTINED);
    // Undo of the quarantine, as its own action.
    const undo = await w.fx.runner.planUndo(quarantine!.actionId);
    await w.fx.runner.confirm(undo, w.fx.store.getState().state.actions.get(undo)!.planned.paramsHash);
    expect(await w.fx.runner.execute(undo)).toBe('verified');
    expect(w.kube.get('pods', 'shop', 'web-7d9f-abcde')!.metadata.labels).toEqual({
      app: 'web',
      tier: 'frontend',
      'pod-template-hash': '7d9f',
    });
  });

  it('a failed evidence step stops the destructive steps but not the other evidence step', async () => {
    const w = await crossPlane();
    const plan = await planned4(w);
    w.kube.recorder.fail({ op: 'get pods/log', status: 403, code: 'Forbidden', message: 'cannot get pods/log' });
    const steps = await runBundle(deps(w), plan, ROLE, plan.hash);
    expect(steps.map((s) => s.outcome)).toEqual(['failed', 'in place', 'not run', 'not run']);
    expect(steps[2]!.detail).toContain('not run: step 1');
    expect(recordsOf(w.fx, steps[2]!.actionId, 'action.started')).toEqual([]);
    expect(recordsOf(w.fx, steps[3]!.actionId, 'action.started')).toEqual([]);
    expect(w.kube.recorder.of('patch pods')).toEqual([]);
    expect(w.aws.of('PutRolePolicy')).toEqual([]);
  });

  it.each([
    ['CloudTrail preservation', 1, ['in place', 'failed', 'not run', 'not run']],
    // The quarantine's NetworkPolicy lands before the relabel is refused: partial, read back.
    ['quarantine', 2, ['in place', 'in place', 'partial', 'not run']],
  ] as const)('a failure at the %s step stops every later destructive step', async (_what, at, outcomes) => {
    const w = await crossPlane();
    const plan = await planned4(w);
    if (at === 1) w.aws.fail({ op: 'LookupEvents', status: 400, code: 'AccessDeniedException', message: 'denied' });
    else w.kube.recorder.fail({ op: 'patch pods', status: 403, code: 'Forbidden', message: 'cannot patch pods' });
    const steps = await runBundle(deps(w), plan, ROLE, plan.hash);
    expect(steps.map((s) => s.outcome)).toEqual(outcomes);
    for (const s of steps.filter((x) => x.outcome === 'not run'))
      expect(recordsOf(w.fx, s.actionId, 'action.started'), s.defId).toEqual([]);
    expect(w.aws.of('PutRolePolicy')).toEqual([]);
  });

  it('deny-all in place but the revocation refused: the step is partial, each policy said apart', async () => {
    const w = await crossPlane();
    const plan = await planned4(w);
    w.aws.fail({ op: 'PutRolePolicy', skip: 1, status: 503, code: 'ServiceUnavailable', message: 'try later' });
    const steps = await runBundle(deps(w), plan, ROLE, plan.hash);
    expect(steps.map((s) => s.outcome)).toEqual(['in place', 'in place', 'in place', 'partial']);
    expect(steps[3]!.detail).toContain('firebreak-deny-all on role prod-db-reader: in place');
    expect(steps[3]!.detail).toContain('AWSRevokeOlderSessions on role prod-db-reader: NOT in place');
    expect(w.fx.runner.status(steps[3]!.actionId)).toBe('partial');
    // The runner's completion plans only what is missing, as for any partial action.
    const done = await w.fx.runner.planComplete(steps[3]!.actionId);
    await w.fx.runner.confirm(done, w.fx.store.getState().state.actions.get(done)!.planned.paramsHash);
    expect(await w.fx.runner.execute(done)).toBe('verified');
  });

  it('needs both the cluster and the account armed', async () => {
    const w = await crossPlane({ armed: false });
    await w.fx.store.getState().actions.armSession(w.env.kube!.cluster, w.env.kube!.cluster);
    await expect(planBundle(deps(w), POD, { eksCluster: EKS_CLUSTER })).rejects.toThrow(
      `not armed for AWS account ${ACCOUNT}`,
    );
    expect(planned(w)).toEqual([]);
  });

  it('refuses a role in another account than the session acts in', async () => {
    const w = await crossPlane({
      kube: crossPlaneSeed({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::999999999999:role/prod-db-reader' }),
    });
    await expect(planBundle(deps(w), POD, { eksCluster: EKS_CLUSTER })).rejects.toThrow(
      'is in account 999999999999, but this session acts in 123456789012',
    );
    expect(planned(w)).toEqual([]);
  });
});
