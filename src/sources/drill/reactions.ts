// The scripted attacker meets the team's containment: each scripted CloudTrail event is read as
// the call it records (who signed it, which role session, issued when), judged against the
// simulated cloud's state at delivery, and — when containment stands in its way — delivered as
// the failed call the real service would have logged: errorCode and errorMessage set, no
// response. Before, the revoked session kept reading the database for 20 more minutes while the
// scorecard said it was contained.

import type { IncidentEvent } from '../../domain/event.js';

/** The scripted call's principal, in the shape the simulator judges (cloud-sim ScriptedCall). */
export interface CallPrincipal {
  action: string;
  accessKeyId?: string;
  userName?: string;
  roleName?: string;
  sessionArn?: string;
  sessionIssuedAt?: string;
}

export type CallVerdict = { ok: true } | { ok: false; errorCode: string; errorMessage: string };

/** A scripted Kubernetes API call, in the shape the simulator judges (cloud-sim KubeCall). */
export interface KubeCallPrincipal {
  sourceIp?: string;
  boundPod?: { namespace: string; name: string };
  /** A connection out of the pod (not to the API server): where it goes. */
  destination?: { ip: string; port: number };
}

export type KubeCallVerdict =
  | { ok: true }
  | { ok: false; kind: 'dropped'; reason: string }
  | { ok: false; kind: 'unauthorized'; code: 401; reason: string };

type Raw = Record<string, unknown>;
const obj = (x: unknown): Raw => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Raw) : {});
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/** Who made a CloudTrail event's call; undefined for events that are not calls (GuardDuty, k8s). */
export function principalOf(e: IncidentEvent): CallPrincipal | undefined {
  if (e.source !== 'cloudtrail' || e.outcome === 'failure') return undefined;
  const id = obj(obj(e.raw).userIdentity);
  const out: CallPrincipal = { action: `${str(obj(e.raw).eventSource)?.split('.')[0] ?? 'aws'}:${e.action}` };
  const key = e.accessKeyId ?? str(id.accessKeyId);
  if (key) out.accessKeyId = key;
  if (id.type === 'IAMUser' && str(id.userName)) out.userName = str(id.userName)!;
  else if (id.type === 'AssumedRole') {
    const ctx = obj(id.sessionContext);
    const issuer = obj(ctx.sessionIssuer);
    const role = str(issuer.userName) ?? str(id.arn)?.split('/')[1];
    if (!role) return undefined;
    out.roleName = role;
    if (str(id.arn)) out.sessionArn = str(id.arn)!;
    const issued = str(obj(ctx.attributes).creationDate);
    if (issued) out.sessionIssuedAt = issued;
  } else return undefined;
  return out;
}

/** The event as the real cloud would have logged the call once it was refused. */
export function refused(e: IncidentEvent, v: Extract<CallVerdict, { ok: false }>): IncidentEvent {
  const raw = { ...obj(e.raw), errorCode: v.errorCode, errorMessage: v.errorMessage, responseElements: null };
  return { ...e, outcome: 'failure', errorCode: v.errorCode, raw };
}

/**
 * A Kubernetes audit event's call: its source IP and the pod its bound token names. Failed calls
 * too: a dropped connection or a dead token stops a call before authorization could refuse it.
 */
export function kubeCallOf(e: IncidentEvent): KubeCallPrincipal | undefined {
  if (e.source === 'falco') return falcoConnectionOf(e);
  if (e.source !== 'k8s-audit') return undefined;
  const raw = obj(e.raw);
  const user = obj(raw.user);
  const out: KubeCallPrincipal = {};
  const ip = Array.isArray(raw.sourceIPs) ? str(raw.sourceIPs[0]) : undefined;
  if (ip) out.sourceIp = ip;
  const pod = obj(user.extra)['authentication.kubernetes.io/pod-name'];
  const podName = Array.isArray(pod) ? str(pod[0]) : undefined;
  // system:serviceaccount:NAMESPACE:NAME — the token's pod is in the service account's namespace.
  const ns = /^system:serviceaccount:([^:]+):/.exec(str(user.username) ?? '')?.[1];
  if (podName && ns) out.boundPod = { namespace: ns, name: podName };
  return out;
}

/**
 * A Falco alert about a network connection a process in a pod made (a reverse shell's dup2 onto
 * the socket, an outbound connect): the connection tuple `fd.name` is "CLIENT:PORT->SERVER:PORT"
 * (https://falco.org/docs/reference/rules/supported-fields/#field-class-fd). When the pod's
 * egress is cut the connection is never made, so neither alert would be raised. Other alerts
 * (file reads, process starts) are not connections and are not judged here.
 */
function falcoConnectionOf(e: IncidentEvent): KubeCallPrincipal | undefined {
  const fields = obj(obj(e.raw).output_fields);
  const m = /^([\d.]+):\d+->([\d.]+):(\d+)$/.exec(str(fields['fd.name']) ?? '');
  if (!m) return undefined;
  return { sourceIp: m[1]!, destination: { ip: m[2]!, port: Number(m[3]) } };
}

/**
 * The audit event the API server writes for a request whose token no longer authenticates: no
 * user (authentication failed), 401, the authentication methods tried
 * (https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/apiserver/pkg/endpoints/filters/authn_audit.go).
 */
export function unauthenticated(e: IncidentEvent): IncidentEvent {
  const raw: Raw = { ...obj(e.raw) };
  delete raw.annotations; // no authorization decision was made
  delete raw.responseObject;
  raw.user = {};
  raw.responseStatus = { metadata: {}, message: 'Authentication failed, attempted: bearer', code: 401 };
  return { ...e, actor: 'unknown', outcome: 'failure', errorCode: '401', raw };
}

/**
 * Judges each scripted event; the ones containment stops come back as failed calls, and the ones
 * whose network path is cut never reach the API server (no audit event at all, as in a real cluster).
 */
export function reactTo(
  events: readonly IncidentEvent[],
  judge: (p: CallPrincipal) => CallVerdict,
  judgeKube?: (p: KubeCallPrincipal) => KubeCallVerdict,
  /**
   * When the team first changed the world (epoch ms, drill clock). A call made before it met the
   * world as seeded, whatever has changed since: CloudTrail delivers it minutes late, but the
   * GetObject at 14:36 succeeded, and a deny-all put at 14:39 does not undo it.
   */
  changedAtMs = Number.NEGATIVE_INFINITY,
): IncidentEvent[] {
  const out: IncidentEvent[] = [];
  for (const e of events) {
    if (Date.parse(e.eventTime) < changedAtMs) {
      out.push(e);
      continue;
    }
    const k = judgeKube ? kubeCallOf(e) : undefined;
    if (k) {
      const v = judgeKube!(k);
      if (v.ok) out.push(e);
      else if (v.kind === 'unauthorized') out.push(unauthenticated(e));
      continue;
    }
    const p = principalOf(e);
    if (!p) {
      out.push(e);
      continue;
    }
    const v = judge(p);
    out.push(v.ok ? e : refused(e, v));
  }
  return out;
}
