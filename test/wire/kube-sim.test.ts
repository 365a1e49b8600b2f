// The Kubernetes sim against the real client-node over HTTPS: it must behave like the API server
// where the actions depend on it, or the action tests would prove nothing.

import { CoreV1Api, DiscoveryV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { kubeClientsFor } from '../../src/actions/kubernetes/clients.js';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeSim } from '@firebreak/cloud-sim';
import { kubeConfigFor, makeTestCert, TOKEN } from './fake-kube.js';
import { shopSeed } from './kube-action-harness.js';

const cert = makeTestCert();
let sim: KubeSim;

async function clients(token = TOKEN) {
  sim = new KubeSim(shopSeed(), { token });
  const kc = kubeConfigFor(await sim.start(cert), cert.cert);
  return { core: kc.makeApiClient(CoreV1Api), discovery: kc.makeApiClient(DiscoveryV1Api) };
}

afterEach(async () => {
  await sim?.close();
});

const POD = { namespace: 'shop', name: 'web-7d9f-abcde' };
const merge = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function statusOf(e: unknown): { code: number; reason: string; message: string } {
  const err = e as { code: number; body: string };
  const st = JSON.parse(err.body) as { reason: string; message: string };
  return { code: err.code, reason: st.reason, message: st.message };
}

describe('Kubernetes sim PATCH', () => {
  it('answers a merge-style object sent with the client default (JSON Patch) with the real 400', async () => {
    const { core } = await clients();
    const e = await core
      .patchNamespacedPod({ ...POD, body: { metadata: { labels: { quarantine: 'true' } } } })
      .catch((x: unknown) => x);
    expect(statusOf(e)).toEqual({
      code: 400,
      reason: 'BadRequest',
      message: 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
    });
    expect(sim.recorder.of('patch pods')[0]!.headers['content-type']).toBe('application/json-patch+json');
    expect(sim.get('pods', 'shop', POD.name)!.metadata.labels.quarantine).toBeUndefined();
  });

  it('merge patch sets labels, deletes a label set to null, and bumps resourceVersion', async () => {
    const { core } = await clients();
    const before = sim.get('pods', 'shop', POD.name)!.metadata.resourceVersion;
    const out = await core.patchNamespacedPod(
      { ...POD, body: { metadata: { labels: { app: null, quarantine: 'true' } } } },
      merge(),
    );
    expect(out.metadata?.labels).toEqual({ tier: 'frontend', 'pod-template-hash': '7d9f', quarantine: 'true' });
    expect(Number(sim.get('pods', 'shop', POD.name)!.metadata.resourceVersion)).toBeGreaterThan(Number(before));
  });

  it('JSON Patch arrays apply (with ~1 escapes), strategic merge patches maps', async () => {
    const { core } = await clients();
    await core.patchNamespacedPod({
      ...POD,
      body: [
        { op: 'add', path: '/metadata/labels/firebreak.io~1incident', value: 'INC-1' },
        { op: 'remove', path: '/metadata/labels/tier' },
      ],
    });
    await core.patchNamespacedPod(
      { ...POD, body: { metadata: { labels: { app: null } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(sim.get('pods', 'shop', POD.name)!.metadata.labels).toEqual({
      'pod-template-hash': '7d9f',
      'firebreak.io/incident': 'INC-1',
    });
  });

  it('dryRun=All validates and answers but persists nothing; an invalid label value is a 422', async () => {
    const { core } = await clients();
    const rv = sim.resourceVersion;
    const out = await core.patchNamespacedPod(
      { ...POD, body: { metadata: { labels: { app: null } } }, dryRun: 'All' },
      merge(),
    );
    expect(out.metadata?.labels?.app).toBeUndefined();
    expect(sim.get('pods', 'shop', POD.name)!.metadata.labels.app).toBe('web');
    expect(sim.resourceVersion).toBe(rv);
    const bad = await core
      .patchNamespacedPod({ ...POD, body: { metadata: { labels: { x: 'not valid!' } } }, dryRun: 'All' }, merge())
      .catch((e: unknown) => e);
    expect(statusOf(bad)).toMatchObject({ code: 422, reason: 'Invalid' });
  });

  it('a stale resourceVersion in a merge patch is a 409 Conflict', async () => {
    const { core } = await clients();
    const e = await core
      .patchNamespacedPod({ ...POD, body: { metadata: { resourceVersion: '1', labels: { a: 'b' } } } }, merge())
      .catch((x: unknown) => x);
    expect(statusOf(e)).toMatchObject({ code: 409, reason: 'Conflict' });
  });
});

describe('Kubernetes sim reads', () => {
  it('derives EndpointSlices from Services and pod labels: a relabelled pod leaves them', async () => {
    const { core, discovery } = await clients();
    const names = async () =>
      (
        await discovery.listNamespacedEndpointSlice({
          namespace: 'shop',
          labelSelector: 'kubernetes.io/service-name=web',
        })
      ).items.flatMap((s) => (s.endpoints ?? []).map((e) => e.targetRef?.name));
    expect((await names()).sort()).toEqual(['web-7d9f-abcde', 'web-7d9f-fghij']);
    await core.patchNamespacedPod({ ...POD, body: { metadata: { labels: { app: null } } } }, merge());
    expect(await names()).toEqual(['web-7d9f-fghij']);
  });

  it('serves logs per container, the previous container, and the kubelet 400s', async () => {
    const { core } = await clients();
    expect(await core.readNamespacedPodLog({ ...POD, container: 'app', previous: true })).toContain('x.sh | sh');
    const none = await core
      .readNamespacedPodLog({ ...POD, container: 'proxy', previous: true })
      .catch((e: unknown) => e);
    expect(statusOf(none)).toEqual({
      code: 400,
      reason: 'BadRequest',
      message: 'previous terminated container "proxy" in pod "web-7d9f-abcde" not found',
    });
    const unnamed = await core.readNamespacedPodLog(POD).catch((e: unknown) => e);
    expect(statusOf(unnamed).message).toBe(
      'a container name must be specified for pod web-7d9f-abcde, choose one of: [app proxy]',
    );
  });

  it('lists pods by node (fieldSelector) and events by namespace', async () => {
    const { core } = await clients();
    const onA = await core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=node-a' });
    expect(onA.items.map((p) => p.metadata?.name).sort()).toEqual(['db-0', 'web-7d9f-abcde']);
    const ev = await core.listNamespacedEvent({ namespace: 'shop' });
    expect(ev.items.map((e) => e.reason).sort()).toEqual(['BackOff', 'Pulled']);
  });

  it('refuses a wrong token (401), answers 404 as a NotFound Status, injects 429 with Retry-After', async () => {
    const { core } = await clients('other-token');
    // client-node drops the body of a 401 (its generated code has a dedicated branch for it).
    expect(((await core.readNamespacedPod(POD).catch((e: unknown) => e)) as { code: number }).code).toBe(401);
    await sim.close();
    const ok = await clients();
    expect(
      statusOf(await ok.core.readNamespacedPod({ namespace: 'shop', name: 'nope' }).catch((e: unknown) => e)),
    ).toEqual({ code: 404, reason: 'NotFound', message: 'pods "nope" not found' });
    sim.recorder.fail({
      op: 'get pods',
      status: 429,
      code: 'TooManyRequests',
      message: 'too many requests, please try again later',
    });
    const e = (await ok.core.readNamespacedPod(POD).catch((x: unknown) => x)) as {
      code: number;
      headers: Record<string, string>;
    };
    expect(e.code).toBe(429);
    expect(e.headers['retry-after']).toBe('1');
    expect((await ok.core.readNamespacedPod(POD)).metadata?.name).toBe(POD.name);
  });
});

describe('Kubernetes sim for drills', () => {
  it('serves plain http on loopback to a client with skipTLSVerify (what a drill uses)', async () => {
    sim = new KubeSim(shopSeed());
    const url = await sim.start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'drill', server: url, skipTLSVerify: true }],
      users: [{ name: 'responder', token: 'drill' }],
      contexts: [{ name: 'drill-ctx', cluster: 'drill', user: 'responder' }],
      currentContext: 'drill-ctx',
    });
    expect(kubeClientsFor(kc)).toMatchObject({ context: 'drill-ctx', cluster: 'drill' });
    const nodes = await kc.makeApiClient(CoreV1Api).listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['node-a', 'node-b']);
  });
});
