// Kubernetes audit-log rules: interactive access to pods, secret reads by people and by stolen
// workload tokens, privileged/host-namespace pods, cluster-admin bindings, anonymous access, and
// a privileged pod deleted again (anti-forensics). A request the API server refused is flagged
// one level lower than one it allowed.

import { BoundedMap } from '../domain/bounded-map.js';
import { eventKey, type IncidentEvent } from '../domain/event.js';
import { auditView, deniedSuffix, objectName, serviceAccount, type AuditView } from './audit-view.js';
import { arr, at, clip, oneOrMany, str } from './read.js';
import { lower, type Rule, type RuleHit } from './types.js';

export function hitFor(v: AuditView, severity: 0 | 1 | 2 | 3, title: string, why?: string): RuleHit {
  return {
    severity: v.denied ? lower(severity) : severity,
    title: `${title}${deniedSuffix(v)}`,
    ...(why ? { why } : {}),
    ...(v.dedupeKey ? { dedupeKey: v.dedupeKey } : {}),
  };
}

/** The `command=` parameters of an exec request URI, joined ("cat /var/run/secrets/…"). */
function execCommand(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const q = uri.indexOf('?');
  if (q < 0) return undefined;
  try {
    const parts = new URLSearchParams(uri.slice(q + 1)).getAll('command');
    return parts.length ? clip(parts.join(' '), 200) : undefined;
  } catch {
    return undefined;
  }
}

export const execIntoPod: Rule = {
  id: 'k8s.exec-into-pod',
  title: 'Exec/attach into a pod',
  severity: 2,
  why: 'Someone ran a command or attached a terminal inside a running container: hands on a workload and its mounted secrets. Confirm the person and the reason.',
  runbook:
    'host-compromise: confirm with the user; if unexplained, capture the pod (logs, filesystem) before isolating it with a deny-all NetworkPolicy',
  match(e) {
    const v = auditView(e);
    // The verb is create over SPDY and may be get over WebSocket: filter on subresource.
    if (!v || v.resource !== 'pods' || (v.subresource !== 'exec' && v.subresource !== 'attach')) return false;
    if (v.verb !== 'create' && v.verb !== 'get') return false;
    const cmd = v.subresource === 'exec' ? execCommand(v.requestURI) : undefined;
    return hitFor(
      v,
      2,
      `${v.subresource === 'exec' ? 'Exec' : 'Attach'} into ${objectName(v)} by ${clip(v.user, 80)}`,
      `${clip(v.user, 120)} ran ${v.subresource}${cmd ? ` "${cmd}"` : ''} in ${objectName(v)}${v.sourceIp ? ` from ${clip(v.sourceIp, 60)}` : ''}. Interactive access to a workload: confirm who and why.`,
    );
  },
};

const READ_VERBS = ['get', 'list', 'watch'];

export const secretReadByPerson: Rule = {
  id: 'k8s.secret-read',
  title: 'Secret read by a person',
  severity: 2,
  why: 'A human identity (not a system component or service account) read or listed Secrets. People rarely need secret values directly; a list returns every value in the namespace.',
  runbook:
    'credentials-leak: confirm with the user; if unexplained, rotate the secrets read and review the identity’s other requests',
  match(e) {
    const v = auditView(e);
    if (!v || v.resource !== 'secrets' || !READ_VERBS.includes(v.verb)) return false;
    // system:* covers nodes, controllers, service accounts (next rule) and anonymous (its own rule).
    if (v.user.startsWith('system:')) return false;
    return hitFor(v, 2, `Secret ${v.verb} ${objectName(v)} by ${clip(v.user, 80)}`);
  },
};

/** Tools a person uses by hand; an application talks through its client library. */
const HAND_TOOL = /^(curl|wget|python-requests|python-urllib|httpie|kubectl|powershell|okhttp)\b/i;

export const secretReadByWorkload: Rule = {
  id: 'k8s.secret-read-by-workload',
  title: 'Secret read with a workload token used by hand',
  severity: 1,
  why: 'A service-account token read Secrets with a hand tool (curl, python-requests, kubectl) — someone holds the pod’s token — or read Secrets of another namespace. Same-namespace reads by client libraries are the app’s normal business and are not flagged.',
  runbook:
    'credentials-leak: rotate the secrets read, then delete the pod (after capture) so its bound token is invalidated',
  match(e) {
    const v = auditView(e);
    if (!v || v.resource !== 'secrets' || !READ_VERBS.includes(v.verb)) return false;
    const sa = serviceAccount(v.user);
    if (!sa) return false;
    const who = `${sa.namespace}/${sa.name}`;
    const ua = v.userAgent ?? '';
    if (HAND_TOOL.test(ua)) {
      return hitFor(
        v,
        1,
        `Secret ${v.verb} ${objectName(v)} by service account ${clip(who, 80)} using ${clip(ua.split(/[\s/]/)[0] ?? ua, 30)}`,
      );
    }
    // Controllers in kube-system legitimately read secrets cluster-wide (token, CSI, cloud).
    const cross = v.namespace !== sa.namespace && sa.namespace !== 'kube-system';
    return cross
      ? hitFor(v, 2, `Secret ${v.verb} ${objectName(v)} by service account ${clip(who, 80)} of another namespace`)
      : false;
  },
};

const WORKLOADS = [
  'pods',
  'deployments',
  'daemonsets',
  'statefulsets',
  'replicasets',
  'jobs',
  'cronjobs',
  'replicationcontrollers',
];

/** The pod spec inside a create request for a pod or a workload template. */
function podSpec(resource: string, obj: unknown): unknown {
  if (resource === 'pods') return at(obj, 'spec');
  if (resource === 'cronjobs') return at(obj, 'spec', 'jobTemplate', 'spec', 'template', 'spec');
  return at(obj, 'spec', 'template', 'spec');
}

/** What makes a pod spec a way onto the node: privileged, host namespaces, hostPath, SYS_ADMIN. */
export function podRisks(spec: unknown): string[] {
  const out: string[] = [];
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (at(spec, k) === true) out.push(k);
  for (const vol of arr(at(spec, 'volumes'))) {
    const path = str(at(vol, 'hostPath', 'path'));
    if (path !== undefined) out.push(`hostPath ${clip(path, 60)}`);
  }
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of arr(at(spec, list))) {
      const name = clip(str(at(c, 'name')) ?? '?', 40);
      if (at(c, 'securityContext', 'privileged') === true) out.push(`privileged (${name})`);
      if (oneOrMany(at(c, 'securityContext', 'capabilities', 'add')).some((x) => x === 'SYS_ADMIN' || x === 'ALL'))
        out.push(`SYS_ADMIN (${name})`);
    }
  }
  return out;
}

/** Pod Security Admission's audit/warn annotation, for Metadata-level logs without requestObject. */
function psaRisks(raw: unknown): string[] {
  const text = str(at(raw, 'annotations', 'pod-security.kubernetes.io/audit-violations')) ?? '';
  return ['privileged', 'host namespaces', 'hostPath volumes'].filter((w) => text.includes(w));
}

/** Creators whose pods come from templates already judged when the workload was created. */
function isController(user: string): boolean {
  return user.startsWith('system:serviceaccount:kube-system:') || user.startsWith('system:node:');
}

function privilegedCreate(v: AuditView): string[] {
  if (v.verb !== 'create' || v.subresource !== undefined || !v.resource || !WORKLOADS.includes(v.resource)) return [];
  const risks = podRisks(podSpec(v.resource, v.requestObject));
  return risks.length ? risks : psaRisks(v.raw);
}

export const privilegedPod: Rule = {
  id: 'k8s.privileged-pod',
  title: 'Privileged or host-namespace pod created',
  severity: 1,
  why: 'A pod (or workload template) runs privileged, shares the host network/PID/IPC, or mounts a host path: from inside it the node — and every pod on it — is reachable.',
  runbook: 'host-compromise: capture and delete the pod, cordon the node and snapshot it; check who could create it',
  match(e) {
    const v = auditView(e);
    if (!v) return false;
    const risks = privilegedCreate(v);
    if (!risks.length) return false;
    const kind = v.resource === 'pods' ? 'Pod' : `Workload (${v.resource})`;
    // A pod a kube-system controller (or the kubelet, for static pods) creates comes from a
    // workload template; that workload's own creation is usually not in the same log, so the pod
    // is raised, one level lower because someone else's change is the cause.
    return hitFor(
      v,
      isController(v.user) ? 2 : 1,
      `${kind} ${objectName(v)} with ${clip(risks.join(', '), 160)} by ${clip(v.user, 80)}`,
    );
  },
};

export const clusterAdminBinding: Rule = {
  id: 'k8s.cluster-admin-binding',
  title: 'Binding to cluster-admin',
  severity: 1,
  why: 'A (Cluster)RoleBinding to cluster-admin gives its subjects every permission in the cluster (or namespace): privilege escalation or persistence unless it is a reviewed change.',
  runbook: 'host-compromise: delete the binding after capturing it, then review what its subjects did',
  match(e) {
    const v = auditView(e);
    if (!v || (v.verb !== 'create' && v.verb !== 'update')) return false;
    if (v.resource !== 'clusterrolebindings' && v.resource !== 'rolebindings') return false;
    if (at(v.requestObject, 'roleRef', 'name') !== 'cluster-admin') return false;
    const subjects = arr(at(v.requestObject, 'subjects'))
      .map((s) => [str(at(s, 'kind')), str(at(s, 'namespace')), str(at(s, 'name'))].filter(Boolean).join(':'))
      .filter(Boolean);
    const to = subjects.length ? ` for ${clip(subjects.join(', '), 120)}` : '';
    return hitFor(
      v,
      1,
      `${v.resource === 'rolebindings' ? 'RoleBinding' : 'ClusterRoleBinding'} ${objectName(v)} to cluster-admin${to} by ${clip(v.user, 80)}`,
    );
  },
};

/** Allowed to anonymous users by the default system:public-info-viewer role. */
const PUBLIC_INFO = /^\/(healthz|livez|readyz|version)(\/|\?|$)/;

export const anonymousRequest: Rule = {
  id: 'k8s.anonymous-request',
  title: 'Anonymous API request',
  severity: 1,
  why: 'An unauthenticated request reached the API server. Allowed ones (beyond health and version) mean RBAC grants something to system:anonymous — fix now; denied ones are internet scanning (Sev3, once per source IP per hour).',
  runbook:
    'host-compromise: remove bindings that name system:anonymous or system:unauthenticated; consider --anonymous-auth=false',
  match(e) {
    const v = auditView(e);
    if (!v || (v.user !== 'system:anonymous' && !v.groups.includes('system:unauthenticated'))) return false;
    if (PUBLIC_INFO.test(v.requestURI ?? '')) return false;
    const what = `${v.verb} ${clip(v.requestURI ?? objectName(v), 100)}`;
    const from = v.sourceIp ? ` from ${clip(v.sourceIp, 60)}` : '';
    // No responseStatus (an early stage, or a Metadata policy that drops it): the outcome is not
    // known, so the request is not called allowed.
    if (!v.denied && v.code === undefined)
      return {
        severity: 2,
        title: `Anonymous request, outcome not logged: ${what}${from}`,
        ...(v.dedupeKey ? { dedupeKey: v.dedupeKey } : {}),
      };
    if (!v.denied)
      return {
        severity: 1,
        title: `Anonymous request allowed: ${what}${from}`,
        ...(v.dedupeKey ? { dedupeKey: v.dedupeKey } : {}),
      };
    const t = Date.parse(e.eventTime);
    const hour = Number.isFinite(t) ? Math.floor(t / 3_600_000) : 'unknown';
    return {
      severity: 3,
      title: `Anonymous requests denied${from}`,
      dedupeKey: `anon-denied:${v.sourceIp ?? '?'}:${hour}`,
    };
  },
};

/**
 * A privileged pod deleted after it was created: the pod (and what it did on the node) is gone.
 * Remembers the last `max` privileged pods created (FIFO).
 */
export function evidenceDestructionRule(max = 1_000): Rule {
  return {
    id: 'k8s.evidence-destruction',
    title: 'Privileged pod deleted',
    severity: 1,
    why: 'A privileged/host pod seen being created was deleted again; by its creator it is anti-forensics. The node still holds evidence.',
    runbook: 'host-compromise: cordon the node and snapshot its disk before anything else is cleaned up',
    createMatcher() {
      const created = new BoundedMap<string, { user: string; key: string }>(max);
      return (e: IncidentEvent): RuleHit | false => {
        const v = auditView(e);
        if (!v || v.resource !== 'pods' || !v.name || v.subresource !== undefined) return false;
        const id = `${v.namespace ?? ''}/${v.name}`;
        if (v.verb === 'create' && !v.denied && privilegedCreate(v).length) {
          created.set(id, { user: v.user, key: eventKey(e) });
          return false;
        }
        if (v.verb !== 'delete' || v.denied) return false;
        const c = created.get(id);
        if (!c) return false;
        created.delete(id);
        const same = c.user === v.user;
        return {
          severity: same ? 1 : 2,
          title: `Privileged pod ${objectName(v)} deleted${same ? ' by the identity that created it' : ''} (${clip(v.user, 80)})`,
          eventKeys: [eventKey(e), c.key],
          ...(v.dedupeKey ? { dedupeKey: v.dedupeKey } : {}),
        };
      };
    },
  };
}

export const KUBERNETES_RULES: readonly Rule[] = [
  execIntoPod,
  secretReadByPerson,
  secretReadByWorkload,
  privilegedPod,
  clusterAdminBinding,
  anonymousRequest,
  evidenceDestructionRule(),
];
