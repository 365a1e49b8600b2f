// A world that reacts, Kubernetes side: the bundled INC-2026-057 attacker's scripted API calls,
// judged against the simulated cluster. Calls from inside the compromised pod stop reaching the
// API server once a NetworkPolicy cuts its egress (no audit event at all); the service-account
// token the attacker copied out keeps working from outside while the pod lives — quarantine does
// not revoke it — and fails with 401 once the pod is gone.

import { KubeCluster, judgeKubeCall, type KubeSeed } from '@firebreak/cloud-sim';
import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/domain/event.js';
import { kubeCallOf, reactTo } from '../../../src/sources/drill/reactions.js';
import { loadScenario } from '../../../src/sources/drill/scenario.js';

const POD = 'api-7d9f8b6c5-x2kqp';
const POD_IP = '10.30.12.117';

async function world(extraPolicies: KubeSeed['networkPolicies'] = []) {
  const s = await loadScenario('k8s-compromised-pod');
  const seed = (s.cloud as { kubernetes: { seed: KubeSeed } }).kubernetes.seed;
  const cluster = new KubeCluster({ ...seed, networkPolicies: [...(seed.networkPolicies ?? []), ...extraPolicies] });
  const events = s.items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
  const react = (evs: IncidentEvent[]) =>
    reactTo(
      evs,
      () => ({ ok: true }),
      (p) => judgeKubeCall(cluster, p),
    );
  return { cluster, events, react };
}

const fromPod = (e: IncidentEvent) => e.source === 'k8s-audit' && e.sourceIp === POD_IP;
/** Falco alerts about a connection out of the pod (the reverse shell, the outbound connect). */
const outOfPod = (e: IncidentEvent) =>
  e.source === 'falco' && /^10\.30\.12\.117:\d+->203\./.test(String((e.raw as any).output_fields?.['fd.name']));
const stolenToken = (e: IncidentEvent) =>
  e.source === 'k8s-audit' && e.sourceIp === '203.0.113.77' && e.actor === 'system:serviceaccount:payments:api';
const succeeded = (e: IncidentEvent) => e.outcome === 'success';

const denyAll = {
  namespace: 'payments',
  name: 'isolate',
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
};

describe('the scripted attacker meets Kubernetes containment', () => {
  it('reads where each audit call came from and which pod its token is bound to', async () => {
    const { events } = await world();
    const inPod = events.filter(fromPod);
    expect(inPod.length).toBeGreaterThanOrEqual(4);
    expect(kubeCallOf(inPod[0]!)).toEqual({ sourceIp: POD_IP, boundPod: { namespace: 'payments', name: POD } });
  });

  it('before any containment every scripted call is delivered as scripted', async () => {
    const { events, react } = await world();
    expect(react(events)).toEqual(events);
  });

  it('an egress deny-all on the namespace drops the calls from inside the pod, and only those', async () => {
    const { events, react } = await world([denyAll]);
    const out = react(events);
    expect(out.filter(fromPod)).toEqual([]);
    // The reverse shell's connection never opens: Falco raises neither of its two alerts.
    expect(events.filter(outOfPod)).toHaveLength(2);
    expect(out.filter(outOfPod)).toEqual([]);
    expect(out.length).toBe(events.length - events.filter(fromPod).length - events.filter(outOfPod).length);
    // The token copied out still works from the attacker's machine: isolation does not revoke it.
    expect(out.filter(stolenToken).length).toBe(events.filter(stolenToken).length);
    expect(out.filter(stolenToken).filter(succeeded).length).toBe(events.filter(stolenToken).filter(succeeded).length);
  });

  it('policies add up: another policy allowing all egress lets the calls out again', async () => {
    const allowAll = {
      namespace: 'payments',
      name: 'allow-egress',
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{}] },
    };
    const { events, react } = await world([denyAll, allowAll]);
    expect(react(events).filter(fromPod).length).toBe(events.filter(fromPod).length);
  });

  it('an egress rule for DNS only does not reach the API server', async () => {
    const dnsOnly = {
      namespace: 'payments',
      name: 'dns-only',
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] },
    };
    const { events, react } = await world([dnsOnly]);
    expect(react(events).filter(fromPod)).toEqual([]);
  });

  it('an egress rule allowing only the API server and DNS still cuts the reverse shell to port 4444', async () => {
    const apiOnly = {
      namespace: 'payments',
      name: 'api-and-dns',
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: 443 }] }, { ports: [{ port: 53, protocol: 'UDP' }] }],
      },
    };
    const { events, react } = await world([apiOnly]);
    const out = react(events);
    expect(out.filter(fromPod).length).toBe(events.filter(fromPod).length);
    expect(out.filter(outOfPod)).toEqual([]);
  });

  it('an ipBlock egress rule lets the shell out only to the addresses it covers', async () => {
    const block = (cidr: string, except: string[] = []) => ({
      namespace: 'payments',
      name: `to-${cidr.replace(/\W/g, '-')}`,
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr, except } }] }] },
    });
    for (const [cidr, except, gets] of [
      ['203.0.113.0/24', [], true],
      ['203.0.113.0/24', ['203.0.113.64/26'], false],
      ['198.51.100.0/24', [], false],
      ['0.0.0.0/0', [], true],
    ] as const) {
      const { events, react } = await world([block(cidr, [...except])]);
      expect([cidr, except, react(events).filter(outOfPod).length]).toEqual([cidr, except, gets ? 2 : 0]);
    }
  });

  it('an Ingress-only policy (the scenario has one) leaves egress open', async () => {
    const { cluster } = await world();
    expect(judgeKubeCall(cluster, { sourceIp: POD_IP })).toEqual({ ok: true });
  });

  it('once the pod is gone its bound token fails with 401 and no user, as the API server logs it', async () => {
    const { cluster, events, react } = await world();
    cluster.remove('pods', 'payments', POD);
    const out = react(events).filter((e) => e.source === 'k8s-audit' && e.sourceIp === '203.0.113.77');
    expect(out.length).toBe(events.filter(stolenToken).length);
    for (const e of out) {
      expect(e).toMatchObject({ outcome: 'failure', errorCode: '401', actor: 'unknown' });
      expect((e.raw as { user: unknown }).user).toEqual({});
      expect((e.raw as { responseStatus: { code: number } }).responseStatus.code).toBe(401);
    }
  });
});
