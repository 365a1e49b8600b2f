// The world reacting to Kubernetes containment: whether a call the drill's scripted attacker makes
// to the API server would still get there, judged from the simulated cluster as it stands now.
//
// - A call from inside a pod (its source IP is the pod's IP) needs the pod's egress to reach the
//   API server on 443. A pod selected by a NetworkPolicy with Egress in its policyTypes is
//   egress-isolated: only what some selecting policy's egress rule allows gets out, and policies
//   only add up (https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation).
//   Denied traffic is dropped, so the client times out and the API server logs nothing.
// - A bound service-account token names the pod it was issued to (user.extra pod-name and
//   pod-uid); once that pod is gone the token no longer authenticates: 401 Unauthorized
//   (https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume).
//   Quarantine keeps the pod running, so a token already copied out keeps working — the lesson
//   the drill must not hide.

import type { KubeCluster } from './model/cluster.js';
import { labelSelectorMatches } from './model/labels.js';
import type { Obj } from './model/objects.js';

/** A scripted audit event's call: who signed it and where it came from. */
export interface KubeCall {
  sourceIp?: string;
  /**
   * The pod a bound service-account token was issued to (user.extra pod-name). By name: the
   * sim's uids are its own, not the scenario's.
   */
  boundPod?: { namespace: string; name: string };
}

export type KubeVerdict =
  | { ok: true }
  | { ok: false; kind: 'dropped'; reason: string }
  | { ok: false; kind: 'unauthorized'; code: 401; reason: string };

/** The API server port a pod's egress rule must allow (the in-cluster `kubernetes` Service). */
const API_PORT = 443;

function ruleAllowsApiServer(rule: Obj): boolean {
  const ports = (rule.ports ?? []) as Obj[];
  const portOk = ports.length === 0 || ports.some((p) => p.port === undefined || Number(p.port) === API_PORT);
  if (!portOk) return false;
  const to = (rule.to ?? []) as Obj[];
  // No peers: any destination. An ipBlock of 0.0.0.0/0 with no exceptions reaches it too; other
  // peers (pods, namespaces, narrower blocks) are not where this cluster's API server answers.
  return to.length === 0 || to.some((t) => t.ipBlock?.cidr === '0.0.0.0/0' && !(t.ipBlock.except ?? []).length);
}

/** Why egress from `pod` to the API server is denied, or undefined if it gets out. */
function egressDenied(cluster: KubeCluster, pod: Obj): string | undefined {
  const ns = pod.metadata.namespace as string;
  const selecting = cluster
    .list('networkpolicies', ns)
    .filter((p) => labelSelectorMatches(p.spec?.podSelector, pod.metadata.labels))
    .filter((p) => {
      const types = (p.spec?.policyTypes ?? []) as string[];
      return types.includes('Egress') || (types.length === 0 && p.spec?.egress !== undefined);
    });
  if (selecting.length === 0) return undefined;
  if (selecting.some((p) => ((p.spec?.egress ?? []) as Obj[]).some(ruleAllowsApiServer))) return undefined;
  const names = selecting.map((p) => p.metadata.name as string).join(', ');
  return `egress from ${ns}/${pod.metadata.name} is denied by NetworkPolicy ${names}: the connection timed out`;
}

/** The verdict on one scripted Kubernetes API call against the cluster as it is now. */
export function judgeKubeCall(cluster: KubeCluster, c: KubeCall): KubeVerdict {
  if (c.boundPod) {
    const pod = cluster.get('pods', c.boundPod.namespace, c.boundPod.name);
    if (!pod)
      return {
        ok: false,
        kind: 'unauthorized',
        code: 401,
        reason: `the token was bound to pod ${c.boundPod.namespace}/${c.boundPod.name}, which no longer exists`,
      };
  }
  if (c.sourceIp) {
    const from = cluster.list('pods').find((p) => p.status?.podIP === c.sourceIp);
    const denied = from ? egressDenied(cluster, from) : undefined;
    if (denied) return { ok: false, kind: 'dropped', reason: denied };
  }
  return { ok: true };
}
