// k8s.quarantinePod and its undo, with the real client-node against the Kubernetes sim over
// HTTPS, driven through the ActionRunner: the plan's blast radius, the exact requests, the server
// dry run, a double press, API failures journaled as failures, a read-back that notices a change
// made behind its back, and the undo.

import { afterEach, describe, expect, it } from 'vitest';
import { KUBERNETES_ACTIONS } from '../../src/actions/kubernetes/index.js';
import { POD, kubeHarness, recordsOf, runAction, type KubeHarness } from './kube-action-harness.js';

let h: KubeHarness;
afterEach(async () => {
  await h?.close();
});

const PATCH_PATH = '/api/v1/namespaces/shop/pods/web-7d9f-abcde';
const POLICIES_PATH = '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies';
const QUARANTINE = { quarantine: 'true', 'firebreak.io/incident': 'INC-2026-042' };

/** The evidence guardrail wants a capture of the same pod first. */
async function captured(): Promise<void> {
  expect((await runAction(h, 'k8s.capturePod', POD)).status).toBe('verified');
  h.sim.recorder.calls.length = 0;
}

function endpointsOf(service: string): string[] {
  return h.sim
    .list('endpointslices', 'shop')
    .filter((s) => s.metadata.labels['kubernetes.io/service-name'] === service)
    .flatMap((s) => s.endpoints.map((e: { targetRef: { name: string } }) => e.targetRef.name))
    .sort();
}

describe('k8s.quarantinePod plan', () => {
  it('names the labels to remove, the Services it leaves, the ReplicaSet replacement and the policies that still allow', async () => {
    h = await kubeHarness();
    const id = await h.fx.runner.plan('k8s.quarantinePod', POD);
    const p = recordsOf(h.fx, id, 'action.planned')[0]!;
    expect(p.params.removeLabels).toEqual({ app: 'web', tier: 'frontend' });
    expect(p.params.addLabels).toEqual(QUARANTINE);
    expect(p.params.services.map((s: { name: string }) => s.name)).toEqual(['web', 'frontend']);
    expect(p.params.policy).toEqual({
      name: 'firebreak-quarantine-web-7d9f-abcde',
      spec: { podSelector: { matchLabels: QUARANTINE }, policyTypes: ['Ingress', 'Egress'] },
    });
    const blast = p.blastRadius.join('\n');
    expect(blast).toContain('Service shop/web (selector app=web): the pod leaves its endpoints');
    expect(blast).toContain('Service shop/frontend (selector tier=frontend)');
    expect(blast).not.toContain('Service shop/db');
    expect(blast).toMatch(
      /ReplicaSet shop\/web-7d9f \(Deployment web\): the pod leaves it too \(app is in its selector\); it starts a replacement/,
    );
    // allow-dns selects every pod and allows egress; allow-web-ingress stops selecting it once app= is gone.
    expect(blast).toContain('NetworkPolicy shop/allow-dns selects the pod and still allows egress');
    expect(blast).not.toContain('allow-web-ingress');
    const warn = p.warnings.join('\n');
    expect(warn).toMatch(/network plugin/);
    expect(warn).toMatch(/blocks DNS/);
    expect(warn).toMatch(/Established connections may survive/);
    expect(warn).toMatch(/replacement pod/);
    expect(h.sim.mutations()).toEqual([]);
  });

  it('fails the plan as action.failed with a NotFound message when the pod is not there', async () => {
    h = await kubeHarness();
    await expect(h.fx.runner.plan('k8s.quarantinePod', { ...POD, id: 'shop/gone' })).rejects.toThrow(
      /pods "gone" not found/,
    );
    const f = h.fx.records().find((r) => r.type === 'action.failed')!.data as Record<string, string>;
    expect(f.stage).toBe('plan');
    expect(f.code).toBe('NotFound');
    expect(f.hint).toMatch(/not there/);
  });
});

describe('k8s.quarantinePod guardrail and execution', () => {
  it('is refused before the pod is captured and allowed after', async () => {
    h = await kubeHarness();
    const early = await h.fx.runner.plan('k8s.quarantinePod', POD);
    const hash = h.fx.store.getState().state.actions.get(early)!.planned.paramsHash;
    await expect(h.fx.runner.confirm(early, hash)).rejects.toThrow(
      /evidence first: no capture pod evidence .* has succeeded for pod shop\/web-7d9f-abcde: capture it first \(c\)/,
    );
    expect(h.fx.runner.status(early)).toBe('planned');
    await captured();
    const { status } = await runAction(h, 'k8s.quarantinePod', POD);
    expect(status).toBe('verified');
  });

  it('creates the deny-all policy, then merge-patches the labels: exact requests, and the pod leaves the EndpointSlices', async () => {
    h = await kubeHarness();
    await captured();
    const rv = h.sim.get('pods', 'shop', 'web-7d9f-abcde')!.metadata.resourceVersion;
    const { id, status } = await runAction(h, 'k8s.quarantinePod', POD);
    expect(status).toBe('verified');
    const [create, patch, ...rest] = h.sim.mutations();
    expect(rest).toEqual([]);
    expect(create).toMatchObject({ op: 'create networkpolicies', method: 'POST', path: POLICIES_PATH, query: {} });
    expect(JSON.parse(create!.body)).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'firebreak-quarantine-web-7d9f-abcde',
        namespace: 'shop',
        labels: { 'firebreak.io/incident': 'INC-2026-042' },
        annotations: { 'firebreak.io/pod': 'web-7d9f-abcde' },
      },
      spec: { podSelector: { matchLabels: QUARANTINE }, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(patch).toMatchObject({ op: 'patch pods', method: 'PATCH', path: PATCH_PATH, query: {} });
    expect(patch!.headers['content-type']).toBe('application/merge-patch+json');
    expect(JSON.parse(patch!.body)).toEqual({
      metadata: {
        resourceVersion: rv,
        labels: { app: null, tier: null, ...QUARANTINE },
        annotations: { 'firebreak.io/quarantined-labels': '{"app":"web","tier":"frontend"}' },
      },
    });
    expect(h.sim.get('pods', 'shop', 'web-7d9f-abcde')!.metadata.labels).toEqual({
      'pod-template-hash': '7d9f',
      ...QUARANTINE,
    });
    expect(endpointsOf('web')).toEqual(['web-7d9f-fghij']);
    expect(endpointsOf('frontend')).toEqual(['web-7d9f-fghij']);
    const ok = recordsOf(h.fx, id, 'action.succeeded')[0]!;
    expect(ok.outputs).toMatchObject({
      removedLabels: { app: 'web', tier: 'frontend' },
      policy: 'firebreak-quarantine-web-7d9f-abcde',
      alreadyApplied: false,
      createdPolicy: true,
    });
    // Every Audit-Id the API server sent is the journal's request id trail.
    expect(ok.requestIds).toHaveLength(4);
    expect(recordsOf(h.fx, id, 'action.verified')[0]!.detail).toMatch(/in no EndpointSlice of web, frontend/);
  });

  it('dry-runs server-side: dryRun=All on the create and the patch, nothing persisted', async () => {
    h = await kubeHarness();
    const id = await h.fx.runner.plan('k8s.quarantinePod', POD);
    const r = await h.fx.runner.dryRun(id);
    expect(r).toMatchObject({ kind: 'server', ok: true });
    const calls = h.sim.mutations();
    expect(calls.map((c) => [c.op, c.query.dryRun])).toEqual([
      ['create networkpolicies', 'All'],
      ['patch pods', 'All'],
    ]);
    expect(calls[1]!.headers['content-type']).toBe('application/merge-patch+json');
    expect(h.sim.get('pods', 'shop', 'web-7d9f-abcde')!.metadata.labels.app).toBe('web');
    expect(h.sim.get('networkpolicies', 'shop', 'firebreak-quarantine-web-7d9f-abcde')).toBeUndefined();
    expect(recordsOf(h.fx, id, 'action.dryrun')[0]).toMatchObject({ kind: 'server', ok: true });
  });

  it('a double press executes once: the second is refused and the sim saw one create and one patch', async () => {
    h = await kubeHarness();
    await captured();
    const { id } = await runAction(h, 'k8s.quarantinePod', POD);
    await expect(h.fx.runner.execute(id)).rejects.toThrow(/already ran/);
    expect(h.sim.mutations().map((c) => c.op)).toEqual(['create networkpolicies', 'patch pods']);
  });

  it('a second quarantine of a quarantined pod succeeds as "already applied" without a change', async () => {
    h = await kubeHarness();
    await captured();
    await runAction(h, 'k8s.quarantinePod', POD);
    const again = await runAction(h, 'k8s.quarantinePod', POD);
    expect(again.status).toBe('verified');
    const ok = recordsOf(h.fx, again.id, 'action.succeeded')[0]!;
    expect(ok.message).toMatch(/^already applied/);
    // The re-plan recovered the original labels from the pod's annotation, so undo still knows them.
    expect(ok.outputs.removedLabels).toEqual({ app: 'web', tier: 'frontend' });
    expect(h.sim.mutations()).toHaveLength(2);
  });
});

describe('k8s.quarantinePod failures', () => {
  it('403 on the patch is PARTIAL: the failure, the hint, and the read-back naming the half-done state', async () => {
    h = await kubeHarness();
    await captured();
    h.sim.recorder.fail({
      op: 'patch pods',
      status: 403,
      code: 'Forbidden',
      message:
        'pods "web-7d9f-abcde" is forbidden: User "responder" cannot patch resource "pods" in API group "" in the namespace "shop"',
    });
    const { id, status } = await runAction(h, 'k8s.quarantinePod', POD);
    // The policy was created before the patch failed: partial, not plain failed.
    expect(status).toBe('partial');
    const a = h.fx.store.getState().state.actions.get(id)!;
    expect(a.calls.map((c) => [c.op, c.ok, c.status])).toEqual([
      ['POST networkpolicies', true, 201],
      ['PATCH pods/web-7d9f-abcde', false, 403],
    ]);
    expect(a.verified.at(-1)).toMatchObject({
      afterFailure: true,
      ok: false,
      parts: [
        { what: 'deny-all NetworkPolicy firebreak-quarantine-web-7d9f-abcde', inPlace: true },
        { what: 'quarantine labels on pod shop/web-7d9f-abcde', inPlace: false },
      ],
    });
    const f = recordsOf(h.fx, id, 'action.failed')[0]!;
    expect(f.code).toBe('Forbidden');
    expect(f.message).toContain(
      'HTTP 403 Forbidden: pods "web-7d9f-abcde" is forbidden: User "responder" cannot patch resource "pods"',
    );
    expect(f.message).toContain('firebreak-quarantine-web-7d9f-abcde was created');
    expect(f.hint).toMatch(/lack permission/);
    expect(f.requestIds.length).toBeGreaterThan(0);
    expect(recordsOf(h.fx, id, 'action.succeeded')).toEqual([]);
    expect(h.sim.get('pods', 'shop', 'web-7d9f-abcde')!.metadata.labels.app).toBe('web');
  });

  it('a partial quarantine completes (the patch only) or undoes (the policy only)', async () => {
    for (const way of ['complete', 'undo'] as const) {
      h = await kubeHarness();
      await captured();
      h.sim.recorder.fail({
        op: 'patch pods',
        status: 503,
        code: 'ServiceUnavailable',
        message: 'etcd leader changed',
      });
      const { id } = await runAction(h, 'k8s.quarantinePod', POD);
      expect(h.fx.runner.status(id)).toBe('partial');
      const next = way === 'complete' ? await h.fx.runner.planComplete(id) : await h.fx.runner.planUndo(id);
      await h.fx.runner.confirm(next, h.fx.store.getState().state.actions.get(next)!.planned.paramsHash);
      expect(await h.fx.runner.execute(next)).toBe('verified');
      const pod = h.sim.get('pods', 'shop', 'web-7d9f-abcde')!;
      const policy = h.sim.get('networkpolicies', 'shop', 'firebreak-quarantine-web-7d9f-abcde');
      if (way === 'complete') {
        // Only the missing call: the policy already existed, so no second create.
        expect(h.sim.recorder.of('create networkpolicies')).toHaveLength(1);
        expect(pod.metadata.labels.app).toBeUndefined();
        expect(policy).toBeDefined();
      } else {
        expect(pod.metadata.labels.app).toBe('web');
        expect(policy).toBeUndefined();
      }
    }
  });

  it('a half-applied lift (labels back, policy delete 500) is PARTIAL with its parts, and completes', async () => {
    h = await kubeHarness();
    await captured();
    const { id } = await runAction(h, 'k8s.quarantinePod', POD);
    expect(h.fx.runner.status(id)).toBe('verified');
    h.sim.recorder.fail({ op: 'delete networkpolicies', status: 500, code: 'InternalError', message: 'etcd timeout' });
    const undo = await h.fx.runner.planUndo(id);
    await h.fx.runner.confirm(undo, h.fx.store.getState().state.actions.get(undo)!.planned.paramsHash);
    expect(await h.fx.runner.execute(undo)).toBe('partial');
    expect(h.fx.store.getState().state.actions.get(undo)!.verified.at(-1)!.parts).toEqual([
      { what: 'labels of pod shop/web-7d9f-abcde restored', inPlace: true },
      { what: 'NetworkPolicy firebreak-quarantine-web-7d9f-abcde deleted', inPlace: false },
    ]);
    const done = await h.fx.runner.planComplete(undo);
    await h.fx.runner.confirm(done, h.fx.store.getState().state.actions.get(done)!.planned.paramsHash);
    expect(await h.fx.runner.execute(done)).toBe('verified');
    expect(h.sim.recorder.of('patch pods')).toHaveLength(2); // the quarantine's and the lift's, no third
    expect(h.sim.get('networkpolicies', 'shop', 'firebreak-quarantine-web-7d9f-abcde')).toBeUndefined();
  });

  // No answer at all: a connection cut, or an answer that never comes (the call aborts at the
  // deadline). Either way the patch may have landed; the read-back decides.
  for (const fault of [
    { name: 'the connection drops', drop: true },
    { name: 'the answer never comes', hang: true },
  ])
    for (const afterApply of [false, true])
      it(`${fault.name} on the patch${afterApply ? ' after it applied' : ''}: ${afterApply ? 'VERIFIED' : 'PARTIAL'} by read-back`, async () => {
        h = await kubeHarness(undefined, { deadlineMs: 400 });
        await captured();
        h.sim.recorder.fail({ op: 'patch pods', status: 0, code: '', message: '', times: 10, afterApply, ...fault });
        const started = Date.now();
        const { id, status } = await runAction(h, 'k8s.quarantinePod', POD);
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(status).toBe(afterApply ? 'verified' : 'partial');
        const a = h.fx.store.getState().state.actions.get(id)!;
        expect(a.failed).toMatchObject({ unanswered: true });
        expect(a.verified.at(-1)).toMatchObject({ afterFailure: true, ok: afterApply });
        expect(h.sim.get('pods', 'shop', 'web-7d9f-abcde')!.metadata.labels.app).toBe(afterApply ? undefined : 'web');
      }, 30_000);

  it('a read-back whose reads hang aborts at the deadline: COULD NOT READ, not stuck verifying', async () => {
    h = await kubeHarness(undefined, { deadlineMs: 400 });
    await captured();
    h.sim.recorder.fail({ op: 'get pods', status: 0, code: '', message: '', hang: true, times: 50, skip: 2 });
    const { id } = await runAction(h, 'k8s.quarantinePod', POD);
    // Applied, then unreadable: shown as COULD NOT READ (unreadable), never a hung "verifying".
    expect(h.fx.runner.status(id)).toBe('verify-failed');
    expect(h.fx.store.getState().state.actions.get(id)!.verified.at(-1)).toMatchObject({
      ok: false,
      unreadable: true,
      detail: expect.stringMatching(/aborted due to timeout/),
    });
  }, 30_000);

  it('429 on the policy create is action.failed with the rate-limit hint and no patch sent', async () => {
    h = await kubeHarness();
    await captured();
    h.sim.recorder.fail({
      op: 'create networkpolicies',
      status: 429,
      code: 'TooManyRequests',
      message: 'too many requests, please try again later',
    });
    const { id, status } = await runAction(h, 'k8s.quarantinePod', POD);
    expect(status).toBe('failed');
    const f = recordsOf(h.fx, id, 'action.failed')[0]!;
    expect(f.message).toBe('HTTP 429 TooManyRequests: too many requests, please try again later');
    expect(f.hint).toMatch(/rate-limiting/);
    expect(h.sim.recorder.of('patch pods')).toEqual([]);
  });
});

describe('k8s.quarantinePod read-back and undo', () => {
  it('verify fails when someone puts the Service label back behind the action', async () => {
    h = await kubeHarness();
    await captured();
    const { id } = await runAction(h, 'k8s.quarantinePod', POD);
    h.sim.mutate('pods', 'shop', 'web-7d9f-abcde', (p) => {
      p.metadata.labels.app = 'web';
    });
    expect(await h.fx.runner.reverify(id)).toBe('verify-failed');
    const v = recordsOf(h.fx, id, 'action.verified').at(-1)!;
    expect(v.detail).toContain('label app=web still set');
    expect(v.detail).toContain('still an endpoint of Service web');
  });

  it('verify fails when the policy is deleted behind the action', async () => {
    h = await kubeHarness();
    await captured();
    const { id } = await runAction(h, 'k8s.quarantinePod', POD);
    h.sim.remove('networkpolicies', 'shop', 'firebreak-quarantine-web-7d9f-abcde');
    expect(await h.fx.runner.reverify(id)).toBe('verify-failed');
    expect(recordsOf(h.fx, id, 'action.verified').at(-1)!.detail).toContain('does not exist');
  });

  it('undo restores the labels (the pod rejoins its Services) and deletes the policy', async () => {
    h = await kubeHarness();
    await captured();
    const { id } = await runAction(h, 'k8s.quarantinePod', POD);
    h.sim.recorder.calls.length = 0;
    const undo = await h.fx.runner.planUndo(id);
    expect(recordsOf(h.fx, undo, 'action.planned')[0]!).toMatchObject({ action: 'k8s.unquarantinePod', undoOf: id });
    expect((await h.fx.runner.dryRun(undo)).ok).toBe(true);
    expect(h.sim.get('networkpolicies', 'shop', 'firebreak-quarantine-web-7d9f-abcde')).toBeDefined();
    h.sim.recorder.calls.length = 0;
    const hash = h.fx.store.getState().state.actions.get(undo)!.planned.paramsHash;
    await h.fx.runner.confirm(undo, hash);
    expect(await h.fx.runner.execute(undo)).toBe('verified');
    const [patch, del] = h.sim.mutations();
    expect(patch!.headers['content-type']).toBe('application/merge-patch+json');
    expect(JSON.parse(patch!.body)).toEqual({
      metadata: {
        labels: { quarantine: null, 'firebreak.io/incident': null, app: 'web', tier: 'frontend' },
        annotations: { 'firebreak.io/quarantined-labels': null },
      },
    });
    expect(del).toMatchObject({ method: 'DELETE', path: `${POLICIES_PATH}/firebreak-quarantine-web-7d9f-abcde` });
    expect(h.sim.get('pods', 'shop', 'web-7d9f-abcde')!.metadata.labels).toEqual({
      app: 'web',
      tier: 'frontend',
      'pod-template-hash': '7d9f',
    });
    expect(h.sim.get('networkpolicies', 'shop', 'firebreak-quarantine-web-7d9f-abcde')).toBeUndefined();
    expect(endpointsOf('web')).toEqual(['web-7d9f-abcde', 'web-7d9f-fghij']);
  });

  it('the catalogue: ids and keys are unique per target kind, undo actions are undo-only', () => {
    const seen = new Set<string>();
    for (const d of KUBERNETES_ACTIONS) {
      expect(seen.has(`${d.kind}:${d.key}`)).toBe(false);
      seen.add(`${d.kind}:${d.key}`);
    }
    const byId = new Map(KUBERNETES_ACTIONS.map((d) => [d.id, d]));
    expect([...byId.keys()].filter((k) => !byId.get(k)!.undoOnly)).toEqual([
      'k8s.capturePod',
      'k8s.quarantinePod',
      'k8s.isolateNamespace',
      'k8s.cordonNode',
    ]);
    expect(['c', 'Q', 'I', 'o']).toEqual(
      ['k8s.capturePod', 'k8s.quarantinePod', 'k8s.isolateNamespace', 'k8s.cordonNode'].map((i) => byId.get(i)!.key),
    );
    for (const d of KUBERNETES_ACTIONS) if (d.undo) expect(byId.get(d.undo)?.undoOnly).toBe(true);
    expect(byId.get('k8s.quarantinePod')!.evidenceFirst).toEqual(['k8s.capturePod']);
  });
});
