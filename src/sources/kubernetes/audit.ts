// One Kubernetes audit Event (audit.k8s.io/v1 or v1beta1, one JSON object per line of the log
// backend) → IncidentEvent. One request gives one line per stage, all with
// the same auditID, so the id is the auditID and the importer prefers the final stage
// (ResponseComplete / Panic) for the outcome. sourceIPs[0] and userAgent are client-supplied.
// https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/

import { z } from 'zod';
import type { IncidentEvent } from '../../domain/event.js';
import { parseLeniently } from '../lenient-parse.js';

const userInfo = z.looseObject({ username: z.string().optional(), groups: z.array(z.string()).optional() });

export const auditEventSchema = z.looseObject({
  kind: z.literal('Event'),
  // Older clusters and some log shippers drop apiVersion; the other fields decide then.
  apiVersion: z
    .string()
    .regex(/^audit\.k8s\.io\/v1(beta1)?$/, 'audit.k8s.io/v1 or v1beta1')
    .optional(),
  auditID: z.string().min(1),
  stage: z.string().optional(),
  verb: z.string().min(1),
  requestURI: z.string().optional(),
  user: userInfo.optional(),
  impersonatedUser: userInfo.nullish(),
  sourceIPs: z.array(z.string()).optional(),
  userAgent: z.string().optional(),
  objectRef: z
    .looseObject({
      resource: z.string().optional(),
      namespace: z.string().optional(),
      name: z.string().optional(),
      apiGroup: z.string().optional(),
      subresource: z.string().optional(),
    })
    .nullish(),
  responseStatus: z.looseObject({ code: z.number().optional(), reason: z.string().optional() }).nullish(),
  requestReceivedTimestamp: z.string().optional(),
  // v1beta1 only.
  timestamp: z.string().optional(),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;

/**
 * Without these it is not an audit event; any other malformed field is ignored with a warning.
 * apiVersion may be absent, but a wrong one names another object (a core `v1` Event), not a
 * malformed audit event.
 */
const REQUIRED = new Set(['kind', 'apiVersion', 'auditID', 'verb']);
export type AuditResult = { ok: true; event: IncidentEvent; stage: string | undefined } | { ok: false; reason: string };

/** Stages after which nothing more is logged for the request. */
export function isFinalStage(stage: string | undefined): boolean {
  return stage === undefined || stage === 'ResponseComplete' || stage === 'Panic';
}

/** The object path an investigator reads: `namespaces/payments/pods/api-7d9f/exec`, `clusterrolebindings/x`. */
export function auditTarget(e: AuditEvent): string | undefined {
  const o = e.objectRef;
  if (!o?.resource) return e.requestURI;
  const parts: string[] = [];
  if (o.namespace) parts.push('namespaces', o.namespace);
  parts.push(o.resource);
  if (o.name) parts.push(o.name);
  if (o.subresource) parts.push(o.subresource);
  return parts.join('/');
}

export function normaliseAuditEvent(raw: unknown, discoveredAt: string): AuditResult {
  const parsed = parseLeniently(auditEventSchema, raw, REQUIRED, 'Kubernetes audit event');
  if (!parsed.ok) return parsed;
  const e = parsed.data;
  const when = e.requestReceivedTimestamp ?? e.timestamp;
  const ms = when === undefined ? NaN : Date.parse(when);
  if (Number.isNaN(ms))
    return { ok: false, reason: 'not a Kubernetes audit event: requestReceivedTimestamp: not a time' };
  const targets: string[] = [];
  const target = auditTarget(e);
  if (target) targets.push(target);
  // Impersonation: the authenticated user acted as someone else; both matter to the story.
  const as = e.impersonatedUser?.username;
  if (as) targets.push(`impersonated:${as}`);
  const sub = e.objectRef?.subresource;
  const code = e.responseStatus?.code;
  const failed = code !== undefined && code >= 400;
  const event: IncidentEvent = {
    source: 'k8s-audit',
    id: e.auditID,
    eventTime: new Date(ms).toISOString(),
    discoveredAt,
    actor: e.user?.username ?? 'unknown',
    action: sub ? `${e.verb} ${sub}` : e.verb,
    targets,
    outcome: code === undefined ? 'unknown' : failed ? 'failure' : 'success',
    raw,
    ...(e.objectRef?.namespace ? { namespace: e.objectRef.namespace } : {}),
    ...(e.sourceIPs?.[0] ? { sourceIp: e.sourceIPs[0] } : {}),
    ...(e.userAgent ? { userAgent: e.userAgent } : {}),
    ...(failed ? { errorCode: e.responseStatus?.reason ?? String(code) } : {}),
    ...(parsed.warnings.length ? { warnings: parsed.warnings } : {}),
  };
  return { ok: true, event, stage: e.stage };
}
