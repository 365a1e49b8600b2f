// What the drill's feeds show after a responder acts: every mutating call the simulated cloud saw
// becomes the record the real cloud would log — a CloudTrail event for AWS, an audit event for
// Kubernetes — run through the same normalisers as live and imported data. So the team sees its
// own containment land in the timeline (and the detection rules see it too), as they would live.

import { randomUUID } from 'node:crypto';
import type { IncidentEvent } from '../domain/event.js';
import { normaliseCloudTrailRecord } from '../sources/cloudtrail/normalise.js';
import { normaliseAuditEvent } from '../sources/kubernetes/audit.js';
import type { SimCall } from './http.js';

const READ_ONLY_OP = /^(Describe|Get|List|Lookup|Head)/;
const EVENT_SOURCE: Record<string, string> = { ec2: 'ec2.amazonaws.com', iam: 'iam.amazonaws.com', s3: 's3.amazonaws.com', sts: 'sts.amazonaws.com' };

export interface FollowUpContext {
  account: string;
  region: string;
  /** The drill responder's identity as the cloud logs it. */
  responderArn: string;
  now: Date;
}

function isMutating(c: SimCall): boolean {
  if (c.service === 'kubernetes') return c.method !== 'GET' && !/dryRun=All/.test(c.path) && c.query.dryRun !== 'All';
  if (c.service === 'vault' || c.service === 'cloudtrail') return false;
  if (c.params.DryRun === 'true') return false;
  return !READ_ONLY_OP.test(c.op) && c.method !== 'GET' && c.method !== 'HEAD';
}

function cloudTrailRecord(c: SimCall, x: FollowUpContext): unknown {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.params)) if (k !== 'Action' && k !== 'Version') params[k] = v;
  const failed = c.status >= 400;
  return {
    eventVersion: '1.11',
    eventID: randomUUID(),
    eventTime: x.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: EVENT_SOURCE[c.service] ?? `${c.service}.amazonaws.com`,
    eventName: c.op,
    awsRegion: c.service === 'iam' ? 'us-east-1' : x.region,
    sourceIPAddress: '198.51.100.10',
    userAgent: 'firebreak (drill)',
    userIdentity: { type: 'AssumedRole', arn: x.responderArn, accountId: x.account },
    requestParameters: params,
    ...(failed ? { errorCode: `HTTP${c.status}`, errorMessage: 'the call failed (see the action in the timeline)' } : {}),
    recipientAccountId: x.account,
    managementEvent: true,
    eventCategory: 'Management',
    readOnly: false,
  };
}

function auditRecord(c: SimCall, x: FollowUpContext): unknown {
  const parts = c.path.split('?')[0]!.split('/').filter(Boolean);
  const ns = parts.indexOf('namespaces');
  const namespace = ns >= 0 ? parts[ns + 1] : undefined;
  const rest = ns >= 0 ? parts.slice(ns + 2) : parts.slice(parts[0] === 'api' ? 2 : 3);
  const verb = { POST: 'create', PATCH: 'patch', PUT: 'update', DELETE: 'delete' }[c.method] ?? c.method.toLowerCase();
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: randomUUID(),
    stage: 'ResponseComplete',
    requestURI: c.path,
    verb,
    user: { username: 'drill-responder', groups: ['system:authenticated'] },
    sourceIPs: ['198.51.100.10'],
    userAgent: 'firebreak (drill)',
    objectRef: { resource: rest[0], ...(namespace ? { namespace } : {}), ...(rest[1] ? { name: rest[1] } : {}) },
    responseStatus: { code: c.status },
    requestReceivedTimestamp: x.now.toISOString(),
    stageTimestamp: x.now.toISOString(),
  };
}

/** The events the real cloud would have logged for these calls (read-only and dry-run calls log nothing here). */
export function followUpEvents(calls: readonly SimCall[], x: FollowUpContext): IncidentEvent[] {
  const out: IncidentEvent[] = [];
  const discovered = x.now.toISOString();
  for (const c of calls) {
    if (!isMutating(c)) continue;
    const r = c.service === 'kubernetes' ? normaliseAuditEvent(auditRecord(c, x), discovered) : normaliseCloudTrailRecord(cloudTrailRecord(c, x), discovered);
    if (r.ok) out.push(r.event);
  }
  return out;
}
