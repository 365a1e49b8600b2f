// One normalised event for every source (CloudTrail, Kubernetes, audit logs, Falco, drills), so
// timeline, detections and reports need not know where an event came from. `raw` keeps the
// source record as received (after redaction) because it is evidence.

import { z } from 'zod';

export const EVENT_SOURCES = ['cloudtrail', 'kubernetes', 'k8s-audit', 'falco', 'guardduty'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const incidentEventSchema = z.object({
  source: z.enum(EVENT_SOURCES),
  /** The source's own id (CloudTrail EventId, Kubernetes uid / auditID, …); (source, id) is unique. */
  id: z.string().min(1),
  /** When it happened, by the source's clock (UTC ISO). */
  eventTime: z.string(),
  /** When firebreak learned of it (UTC ISO): CloudTrail events arrive minutes late. */
  discoveredAt: z.string(),
  /** ARN, user name or service account. */
  actor: z.string(),
  /** eventName / verb. */
  action: z.string(),
  targets: z.array(z.string()),
  region: z.string().optional(),
  namespace: z.string().optional(),
  /**
   * The AWS account the event belongs to (CloudTrail recipientAccountId), so a session watching
   * several accounts acts on the right one. Twelve digits or absent.
   */
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  /** The Kubernetes cluster a watched event came from (the kubeconfig context's cluster). */
  cluster: z.string().min(1).max(253).optional(),
  sourceIp: z.string().optional(),
  userAgent: z.string().optional(),
  outcome: z.enum(['success', 'failure', 'unknown']),
  errorCode: z.string().optional(),
  /** The access key that signed the call (CloudTrail userIdentity.accessKeyId): what a leaked-key investigation pivots on. */
  accessKeyId: z.string().optional(),
  /** Fields of the record that were malformed and ignored (src/sources/lenient-parse.ts): the event is kept. */
  warnings: z.array(z.string().max(300)).max(10).optional(),
  raw: z.unknown(),
});

export type IncidentEvent = z.infer<typeof incidentEventSchema>;

/** The dedupe key: the same event seen twice (overlapping look-back, relist) is one event. */
export function eventKey(e: Pick<IncidentEvent, 'source' | 'id'>): string {
  return `${e.source}:${e.id}`;
}
