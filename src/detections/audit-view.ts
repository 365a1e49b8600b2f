// A Kubernetes audit event (audit.k8s.io/v1) as the rules read it. One request logs
// up to three stages with the same auditID, so rules dedupe on it; RequestReceived carries no
// outcome yet and is skipped (the ResponseStarted/ResponseComplete line follows).
// https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/

import type { IncidentEvent } from '../domain/event.js';
import { at, clip, num, str } from './read.js';

export interface AuditView {
  verb: string;
  user: string;
  groups: string[];
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  code?: number;
  /** Refused by authn/authz or admission (HTTP ≥ 400, or an authorization "forbid"). */
  denied: boolean;
  userAgent?: string;
  sourceIp?: string;
  requestURI?: string;
  requestObject: unknown;
  raw: unknown;
  dedupeKey?: string;
}

export function auditView(e: IncidentEvent): AuditView | undefined {
  if (e.source !== 'k8s-audit') return undefined;
  const raw = e.raw;
  const verb = str(at(raw, 'verb'));
  const user = str(at(raw, 'user', 'username'));
  const stage = str(at(raw, 'stage'));
  if (!verb || !user || stage === 'RequestReceived') return undefined;
  const groupsRaw = at(raw, 'user', 'groups');
  const groups = Array.isArray(groupsRaw) ? groupsRaw.filter((g): g is string => typeof g === 'string') : [];
  const code = num(at(raw, 'responseStatus', 'code'));
  const denied =
    (code !== undefined && code >= 400) ||
    at(raw, 'annotations', 'authorization.k8s.io/decision') === 'forbid' ||
    e.outcome === 'failure';
  const sourceIps = at(raw, 'sourceIPs');
  const sourceIp = Array.isArray(sourceIps) ? str(sourceIps[0]) : undefined;
  const opt = (k: string, v: string | undefined) => (v !== undefined ? { [k]: v } : {});
  const auditID = str(at(raw, 'auditID'));
  return {
    verb,
    user,
    groups,
    ...opt('resource', str(at(raw, 'objectRef', 'resource'))),
    ...opt('subresource', str(at(raw, 'objectRef', 'subresource'))),
    ...opt('namespace', str(at(raw, 'objectRef', 'namespace'))),
    ...opt('name', str(at(raw, 'objectRef', 'name'))),
    ...(code !== undefined ? { code } : {}),
    denied,
    ...opt('userAgent', str(at(raw, 'userAgent'))),
    ...opt('sourceIp', sourceIp),
    ...opt('requestURI', str(at(raw, 'requestURI'))),
    requestObject: at(raw, 'requestObject'),
    raw,
    ...opt('dedupeKey', auditID ? `audit:${auditID}` : undefined),
  };
}

/** "payments/api-7d9f…" for titles; the resource alone for cluster-scoped or list requests. */
export function objectName(v: AuditView): string {
  // A create with metadata.generateName has no objectRef.name: the template name says which pod.
  const name =
    v.name ??
    str(at(v.requestObject, 'metadata', 'name')) ??
    str(at(v.requestObject, 'metadata', 'generateName')) ??
    v.resource ??
    'object';
  return clip(v.namespace ? `${v.namespace}/${name}` : name, 120);
}

export function deniedSuffix(v: AuditView): string {
  return v.denied ? ' (denied)' : '';
}

const SA = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** The namespace and name of a service-account user, or undefined for other users. */
export function serviceAccount(user: string): { namespace: string; name: string } | undefined {
  const m = SA.exec(user);
  return m ? { namespace: m[1]!, name: m[2]! } : undefined;
}
