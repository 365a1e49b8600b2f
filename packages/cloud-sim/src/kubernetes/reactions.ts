// The world reacting to Kubernetes containment: whether a call the drill's scripted attacker makes
// to the API server would still get there, judged from the simulated cluster as it stands now.
//
// - A call from inside a pod (its source IP is the pod's IP) needs the pod's egress to reach the
//   API server on 443. A pod selected by a NetworkPolicy with Egress in its policyTypes is
//   egress-isolated: only what some selecting policy's egress rule allows gets out, and policies
//   only add up (https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation).
//   Denied traffic is dropped, so the client times out and the API server logs nothing. The same
//   holds for a connection out of the cluster (a reverse shell): it never connects.
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
   * Where the connection goes, when it is not the API server: a process in the pod connecting
   * out (a reverse shell, a download). Without it the destination is the API server on 443.
   */
  destination?: { ip: string; port: number };
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

/** An IPv4 dotted quad as a 32-bit number, or undefined. */
function ipv4(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  if (o.some((x) => x > 255)) return undefined;
  return ((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!;
}

/** Whether `ip` is inside the IPv4 `cidr` ("203.0.113.0/24"). */
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const a = ipv4(ip);
  const b = ipv4(base ?? '');
  const n = Number(bits);
  if (a === undefined || b === undefined || !Number.isInteger(n) || n < 0 || n > 32) return false;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

/**
 * Whether an egress rule lets a pod connect to an address outside the cluster: the port matches
 * (no ports: every port) and a peer covers it — no peers (anywhere) or an ipBlock containing it
 * and not excepted. Pod and namespace selectors only reach pods, never an outside address.
 */
function ruleAllowsExternal(rule: Obj, d: { ip: string; port: number }): boolean {
  const ports = (rule.ports ?? []) as Obj[];
  const portOk =
    ports.length === 0 ||
    ports.some((p) => {
      if (p.port === undefined) return true;
      const from = Number(p.port);
      const to = p.endPort === undefined ? from : Number(p.endPort);
      return d.port >= from && d.port <= to;
    });
  if (!portOk) return false;
  const to = (rule.to ?? []) as Obj[];
  return (
    to.length === 0 ||
    to.some(
      (t) =>
        t.ipBlock &&
        inCidr(d.ip, String(t.ipBlock.cidr)) &&
        !((t.ipBlock.except ?? []) as string[]).some((x) => inCidr(d.ip, x)),
    )
  );
}

/** Why egress from `pod` (to the API server, or to `to`) is denied, or undefined if it gets out. */
function egressDenied(cluster: KubeCluster, pod: Obj, to?: { ip: string; port: number }): string | undefined {
  const ns = pod.metadata.namespace as string;
  const selecting = cluster
    .list('networkpolicies', ns)
    .filter((p) => labelSelectorMatches(p.spec?.podSelector, pod.metadata.labels))
    .filter((p) => {
      const types = (p.spec?.policyTypes ?? []) as string[];
      return types.includes('Egress') || (types.length === 0 && p.spec?.egress !== undefined);
    });
  if (selecting.length === 0) return undefined;
  const allows = (r: Obj) => (to ? ruleAllowsExternal(r, to) : ruleAllowsApiServer(r));
  if (selecting.some((p) => ((p.spec?.egress ?? []) as Obj[]).some(allows))) return undefined;
  const names = selecting.map((p) => p.metadata.name as string).join(', ');
  const where = to ? ` to ${to.ip}:${to.port}` : '';
  return `egress from ${ns}/${pod.metadata.name}${where} is denied by NetworkPolicy ${names}: the connection timed out`;
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
    const denied = from ? egressDenied(cluster, from, c.destination) : undefined;
    if (denied) return { ok: false, kind: 'dropped', reason: denied };
  }
  return { ok: true };
}
