// What the real cloud logs after a responder acts: every mutating call a sim saw becomes the record
// the real service would write — a CloudTrail record for AWS, an audit event for Kubernetes — as
// raw JSON in the services' own shapes. The drill runs them through the same normalisers as live
// and imported data, so the team sees its own containment land in the timeline, as it would live.

import { randomUUID } from 'node:crypto';
import type { SimCall } from './server/http.js';

const READ_ONLY_OP = /^(Describe|Get|List|Lookup|Head)/;
const EVENT_SOURCE: Record<string, string> = {
  ec2: 'ec2.amazonaws.com',
  iam: 'iam.amazonaws.com',
  s3: 's3.amazonaws.com',
  sts: 'sts.amazonaws.com',
};

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

/** The caller's User-Agent as the real services log it (CloudTrail and the audit log record the header). */
function userAgentOf(c: SimCall): string {
  return c.headers['user-agent'] ?? 'unknown';
}

function cloudTrailRecord(c: SimCall, x: FollowUpContext): unknown {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.params)) if (k !== 'Action' && k !== 'Version') params[k] = v;
  // S3 logs the bucket as requestParameters.bucketName, and the bucket (and object) as resources.
  const bucket = c.service === 's3' && typeof c.params.bucket === 'string' ? c.params.bucket : undefined;
  const key = bucket && typeof c.params.key === 'string' && c.params.key ? c.params.key : undefined;
  const s3 = bucket
    ? {
        requestParameters: { bucketName: bucket, ...(key ? { key } : {}) },
        resources: [
          ...(key ? [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }] : []),
          { accountId: x.account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
        ],
      }
    : {};
  const failed = c.status >= 400;
  return {
    eventVersion: '1.11',
    eventID: randomUUID(),
    eventTime: x.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: EVENT_SOURCE[c.service] ?? `${c.service}.amazonaws.com`,
    eventName: c.op,
    awsRegion: c.service === 'iam' ? 'us-east-1' : x.region,
    sourceIPAddress: '198.51.100.10',
    userAgent: userAgentOf(c),
    userIdentity: { type: 'AssumedRole', arn: x.responderArn, accountId: x.account },
    requestParameters: params,
    ...s3,
    ...(failed
      ? { errorCode: `HTTP${c.status}`, errorMessage: 'the call failed (see the action in the timeline)' }
      : {}),
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
    userAgent: userAgentOf(c),
    objectRef: { resource: rest[0], ...(namespace ? { namespace } : {}), ...(rest[1] ? { name: rest[1] } : {}) },
    responseStatus: { code: c.status },
    requestReceivedTimestamp: x.now.toISOString(),
    stageTimestamp: x.now.toISOString(),
  };
}

/** One record the real cloud would have logged, raw, with the log it lands in. */
export type LoggedRecord = { source: 'cloudtrail'; record: unknown } | { source: 'kubernetes-audit'; record: unknown };

/** The records the real cloud would have logged for these calls (read-only and dry-run calls log nothing here). */
export function loggedRecords(calls: readonly SimCall[], x: FollowUpContext): LoggedRecord[] {
  const out: LoggedRecord[] = [];
  for (const c of calls) {
    if (!isMutating(c)) continue;
    out.push(
      c.service === 'kubernetes'
        ? { source: 'kubernetes-audit', record: auditRecord(c, x) }
        : { source: 'cloudtrail', record: cloudTrailRecord(c, x) },
    );
  }
  return out;
}
