// k8s.isolateNamespace and k8s.cordonNode (and their undo) with the real client-node against the
// Kubernetes sim over HTTPS, driven through the ActionRunner.

import { afterEach, describe, expect, it } from 'vitest';
import { NAMESPACE, NODE, kubeHarness, recordsOf, runAction, type KubeHarness } from './kube-action-harness.js';

let h: KubeHarness;
afterEach(async () => {
  await h?.close();
});

const POLICY = 'firebreak-isolate-inc-2026-042';
const POLICIES_PATH = '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies';

async function confirmAndExecute(id: string): Promise<string> {
  const hash = h.fx.store.getState().state.actions.get(id)!.planned.paramsHash;
  await h.fx.runner.confirm(id, hash);
  return h.fx.runner.execute(id);
}

describe('k8s.isolateNamespace', () => {
  it('plans a deny-all for every pod, lists the pods and the policies that still allow', async () => {
    h = await kubeHarness();
    const id = await h.fx.runner.plan('k8s.isolateNamespace', NAMESPACE);
    const p = recordsOf(h.fx, id, 'action.planned')[0]!;
    expect(p.params.policy).toEqual({ name: POLICY, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    const blast = p.blastRadius.join('\n');
    for (const pod of ['web-7d9f-abcde', 'web-7d9f-fghij', 'db-0']) expect(blast).toContain(`pod shop/${pod}`);
    expect(blast).toContain('NetworkPolicy shop/allow-web-ingress still allows ingress');
    expect(blast).toContain('NetworkPolicy shop/allow-dns still allows egress');
    expect(p.warnings.join('\n')).toMatch(/network plugin/);
    expect(h.sim.mutations()).toEqual([]);
  });

  it('is not gated on evidence, creates the policy once (exact body) and verifies it', async () => {
    h = await kubeHarness();
    const { id, status } = await runAction(h, 'k8s.isolateNamespace', NAMESPACE);
    expect(status).toBe('verified');
    const [create, ...rest] = h.sim.mutations();
    expect(rest).toEqual([]);
    expect(create).toMatchObject({ method: 'POST', path: POLICIES_PATH, query: {} });
    expect(JSON.parse(create!.body)).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: POLICY, namespace: 'shop', labels: { 'firebreak.io/incident': 'INC-2026-042' } },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(h.sim.get('networkpolicies', 'shop', POLICY)!.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    await expect(h.fx.runner.execute(id)).rejects.toThrow(/already ran/);
    expect(h.sim.mutations()).toHaveLength(1);
  });

  it('dry-runs server-side with dryRun=All and persists nothing', async () => {
    h = await kubeHarness();
    const id = await h.fx.runner.plan('k8s.isolateNamespace', NAMESPACE);
    expect(await h.fx.runner.dryRun(id)).toMatchObject({ kind: 'server', ok: true });
    expect(h.sim.mutations().map((c) => [c.op, c.query.dryRun])).toEqual([['create networkpolicies', 'All']]);
    expect(h.sim.get('networkpolicies', 'shop', POLICY)).toBeUndefined();
  });

  it('a second isolation is "already applied" with no second create', async () => {
    h = await kubeHarness();
    await runAction(h, 'k8s.isolateNamespace', NAMESPACE);
    const again = await runAction(h, 'k8s.isolateNamespace', NAMESPACE);
    expect(again.status).toBe('verified');
    expect(recordsOf(h.fx, again.id, 'action.succeeded')[0]!.message).toMatch(/^already applied/);
    expect(h.sim.recorder.of('create networkpolicies')).toHaveLength(1);
  });

  it('verify fails when the policy is widened behind the action', async () => {
    h = await kubeHarness();
    const { id } = await runAction(h, 'k8s.isolateNamespace', NAMESPACE);
    h.sim.mutate('networkpolicies', 'shop', POLICY, (p) => {
      p.spec.ingress = [{}];
    });
    expect(await h.fx.runner.reverify(id)).toBe('verify-failed');
    expect(recordsOf(h.fx, id, 'action.verified').at(-1)!.detail).toMatch(/no longer a deny-all/);
  });

  it('403 on the create is action.failed with the Forbidden message and hint', async () => {
    h = await kubeHarness();
    h.sim.recorder.fail({
      op: 'create networkpolicies',
      status: 403,
      code: 'Forbidden',
      message:
        'networkpolicies.networking.k8s.io is forbidden: User "responder" cannot create resource "networkpolicies"',
    });
    const { id, status } = await runAction(h, 'k8s.isolateNamespace', NAMESPACE);
    expect(status).toBe('failed');
    const f = recordsOf(h.fx, id, 'action.failed')[0]!;
    expect(f).toMatchObject({ stage: 'execute', code: 'Forbidden' });
    expect(f.message).toContain('HTTP 403 Forbidden: networkpolicies.networking.k8s.io is forbidden');
    expect(f.hint).toMatch(/lack permission/);
  });

  it('undo deletes the policy (dry run first) and verifies it is gone', async () => {
    h = await kubeHarness();
    const { id } = await runAction(h, 'k8s.isolateNamespace', NAMESPACE);
    const undo = await h.fx.runner.planUndo(id);
    await h.fx.runner.dryRun(undo);
    expect(h.sim.get('networkpolicies', 'shop', POLICY)).toBeDefined();
    expect(await confirmAndExecute(undo)).toBe('verified');
    const deletes = h.sim.mutations().filter((c) => c.method === 'DELETE');
    expect(deletes.map((c) => [c.path, c.query.dryRun ?? ''])).toEqual([
      [`${POLICIES_PATH}/${POLICY}`, 'All'],
      [`${POLICIES_PATH}/${POLICY}`, ''],
    ]);
    expect(h.sim.get('networkpolicies', 'shop', POLICY)).toBeUndefined();
    expect(h.sim.get('networkpolicies', 'shop', 'allow-dns')).toBeDefined();
  });
});

describe('k8s.cordonNode', () => {
  it('plans with the pods on the node and the "not containment" warning', async () => {
    h = await kubeHarness();
    const id = await h.fx.runner.plan('k8s.cordonNode', NODE);
    const p = recordsOf(h.fx, id, 'action.planned')[0]!;
    expect(p.blastRadius).toEqual([
      'pod shop/web-7d9f-abcde: keeps running on node-a (cordon does not move or stop it)',
      'pod shop/db-0: keeps running on node-a (cordon does not move or stop it)',
    ]);
    expect(p.warnings.join('\n')).toMatch(/DaemonSet pods tolerate it/);
    expect(p.warnings.join('\n')).toMatch(/combine it with a namespace isolation or pod quarantine/);
    expect(h.sim.recorder.of('list pods')[0]!.query.fieldSelector).toBe('spec.nodeName=node-a');
  });

  it("a server that ignores the field selector does not put another node's pods in the blast radius", async () => {
    h = await kubeHarness();
    h.sim.ignoreSelectors = true;
    const id = await h.fx.runner.plan('k8s.cordonNode', NODE);
    const blast = recordsOf(h.fx, id, 'action.planned')[0]!.blastRadius;
    // node-b's pod came back in the list; it is not on node-a.
    expect(blast).toHaveLength(2);
    expect(blast.join('\n')).not.toContain('node-b');
    expect(blast.every((l) => l.includes('keeps running on node-a'))).toBe(true);
  });

  it('merge-patches spec.unschedulable once, verifies, and a double press makes no second call', async () => {
    h = await kubeHarness();
    const { id, status } = await runAction(h, 'k8s.cordonNode', NODE);
    expect(status).toBe('verified');
    await expect(h.fx.runner.execute(id)).rejects.toThrow(/already ran/);
    const patches = h.sim.mutations();
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({ method: 'PATCH', path: '/api/v1/nodes/node-a', query: {} });
    expect(patches[0]!.headers['content-type']).toBe('application/merge-patch+json');
    expect(JSON.parse(patches[0]!.body)).toEqual({ spec: { unschedulable: true } });
    expect(h.sim.get('nodes', undefined, 'node-a')!.spec.unschedulable).toBe(true);
  });

  it('dry-runs server-side and leaves the node schedulable', async () => {
    h = await kubeHarness();
    const id = await h.fx.runner.plan('k8s.cordonNode', NODE);
    expect(await h.fx.runner.dryRun(id)).toMatchObject({ kind: 'server', ok: true });
    expect(h.sim.mutations().map((c) => [c.op, c.query.dryRun, c.headers['content-type']])).toEqual([
      ['patch nodes', 'All', 'application/merge-patch+json'],
    ]);
    expect(h.sim.get('nodes', undefined, 'node-a')!.spec.unschedulable).toBeUndefined();
  });

  it('verify fails when someone uncordons the node behind the action', async () => {
    h = await kubeHarness();
    const { id } = await runAction(h, 'k8s.cordonNode', NODE);
    h.sim.mutate('nodes', undefined, 'node-a', (n) => {
      n.spec.unschedulable = false;
    });
    expect(await h.fx.runner.reverify(id)).toBe('verify-failed');
    expect(recordsOf(h.fx, id, 'action.verified').at(-1)!.detail).toBe(
      'node node-a: spec.unschedulable=false, expected true',
    );
  });

  it('404 (node gone between plan and execute) and 429 are action.failed with their hints', async () => {
    h = await kubeHarness();
    h.sim.recorder.fail({
      op: 'patch nodes',
      status: 429,
      code: 'TooManyRequests',
      message: 'too many requests, please try again later',
    });
    const throttled = await runAction(h, 'k8s.cordonNode', NODE);
    expect(throttled.status).toBe('failed');
    expect(recordsOf(h.fx, throttled.id, 'action.failed')[0]!.hint).toMatch(/rate-limiting/);
    const id = await h.fx.runner.plan('k8s.cordonNode', NODE);
    h.sim.remove('nodes', undefined, 'node-a');
    expect(await confirmAndExecute(id)).toBe('failed');
    const f = recordsOf(h.fx, id, 'action.failed')[0]!;
    expect(f).toMatchObject({ code: 'NotFound', message: 'HTTP 404 NotFound: nodes "node-a" not found' });
    expect(f.hint).toMatch(/not there/);
  });

  it('an already cordoned node: "already applied", and its undo refuses to uncordon what firebreak did not cordon', async () => {
    h = await kubeHarness();
    h.sim.mutate('nodes', undefined, 'node-a', (n) => {
      n.spec.unschedulable = true;
    });
    const { id, status } = await runAction(h, 'k8s.cordonNode', NODE);
    expect(status).toBe('verified');
    expect(recordsOf(h.fx, id, 'action.succeeded')[0]!.message).toMatch(/^already applied/);
    expect(h.sim.mutations()).toEqual([]);
    await expect(h.fx.runner.planUndo(id)).rejects.toThrow(/was already cordoned before this action/);
  });

  it('a 504 after the patch applied is settled by read-back: ours, and the undo uncordons', async () => {
    h = await kubeHarness();
    h.sim.recorder.fail({
      op: 'patch nodes',
      status: 504,
      code: 'Timeout',
      message: 'gateway timeout',
      afterApply: true,
    });
    const { id, status } = await runAction(h, 'k8s.cordonNode', NODE);
    expect(status).toBe('verified');
    expect(recordsOf(h.fx, id, 'action.succeeded')[0]!.message).toMatch(/HTTP 504, but a read-back shows it applied/);
    const undo = await h.fx.runner.planUndo(id);
    await h.fx.runner.dryRun(undo);
    expect(await confirmAndExecute(undo)).toBe('verified');
    expect(h.sim.get('nodes', undefined, 'node-a')!.spec.unschedulable).toBe(false);
  });

  it('undo uncordons with a merge patch and verifies', async () => {
    h = await kubeHarness();
    const { id } = await runAction(h, 'k8s.cordonNode', NODE);
    const undo = await h.fx.runner.planUndo(id);
    expect(await confirmAndExecute(undo)).toBe('verified');
    expect(JSON.parse(h.sim.mutations().at(-1)!.body)).toEqual({ spec: { unschedulable: false } });
    expect(h.sim.get('nodes', undefined, 'node-a')!.spec.unschedulable).toBe(false);
  });
});
