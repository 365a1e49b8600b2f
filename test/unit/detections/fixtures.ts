// Realistic raw records for the detection tests, shaped like the bundled drill scenarios and the
// sources' documentation. CloudTrail records go through the real normaliser.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
// https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/

import type { IncidentEvent } from '../../../src/domain/event.js';
import { normaliseCloudTrailRecord } from '../../../src/sources/cloudtrail/normalise.js';

let seq = 0;
const nextId = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

export const ATTACKER_SESSION = {
  type: 'AssumedRole',
  principalId: 'AROA5ORDERSAPIEXAMPLE:orders-debug',
  arn: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/orders-debug',
  accountId: '123456789012',
  accessKeyId: 'ASIA5ATTACKEXAMPLE01',
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROA5ORDERSAPIEXAMPLE',
      arn: 'arn:aws:iam::123456789012:role/orders-api-prod',
      accountId: '123456789012',
      userName: 'orders-api-prod',
    },
    attributes: { creationDate: '2026-04-20T14:20:30Z', mfaAuthenticated: 'false' },
  },
};

export const IAM_USER = {
  type: 'IAMUser',
  principalId: 'AIDA5REPORTNGEXAMPLE1',
  arn: 'arn:aws:iam::123456789012:user/alice',
  accountId: '123456789012',
  accessKeyId: 'AKIA5REPORTEXAMPLE01',
  userName: 'alice',
};

export const ROOT = {
  type: 'Root',
  principalId: '123456789012',
  arn: 'arn:aws:iam::123456789012:root',
  accountId: '123456789012',
};

/** A CloudTrail management event, normalised exactly as the live source would. */
export function ct(
  eventSource: string,
  eventName: string,
  more: Record<string, unknown> = {},
  time = '2026-04-20T14:30:00Z',
): IncidentEvent {
  const raw = {
    eventVersion: '1.11',
    userIdentity: ATTACKER_SESSION,
    eventTime: time,
    eventSource,
    eventName,
    awsRegion: 'eu-west-1',
    sourceIPAddress: '203.0.113.45',
    userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-35-generic exe/x86_64.ubuntu.22 prompt/off',
    requestParameters: null,
    responseElements: null,
    requestID: nextId(),
    eventID: nextId(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
    ...more,
  };
  const r = normaliseCloudTrailRecord(raw, '2026-04-20T14:40:00Z');
  if (!r.ok) throw new Error(r.reason);
  return r.event;
}

export const DENIED = { errorCode: 'AccessDenied', errorMessage: 'User: … is not authorized to perform this action' };

/** An S3 GetObject data event by `arn` at `time`. */
export function getObject(
  time: string,
  arn = ATTACKER_SESSION.arn,
  key = `exports/part-${seq}.csv.gz`,
  ip = '203.0.113.45',
): IncidentEvent {
  return ct(
    's3.amazonaws.com',
    'GetObject',
    {
      userIdentity: { ...ATTACKER_SESSION, arn },
      sourceIPAddress: ip,
      managementEvent: false,
      eventCategory: 'Data',
      readOnly: true,
      requestParameters: { bucketName: 'orders-prod-data', Host: 'orders-prod-data.s3.eu-west-1.amazonaws.com', key },
      resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::orders-prod-data/${key}` }],
    },
    time,
  );
}

function event(source: IncidentEvent['source'], raw: unknown, over: Partial<IncidentEvent> = {}): IncidentEvent {
  return {
    source,
    id: nextId(),
    eventTime: '2026-05-12T02:53:40Z',
    discoveredAt: '2026-05-12T02:54:00Z',
    actor: 'someone',
    action: 'x',
    targets: [],
    outcome: 'success',
    raw,
    ...over,
  };
}

export const SAM = { username: 'sam.rivera@example.com', groups: ['oidc:payments-devs', 'system:authenticated'] };
export const API_SA = {
  username: 'system:serviceaccount:payments:api',
  uid: '0d6c3a9e-7b41-4f2a-9e85-3c1f0b7d2a64',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:payments', 'system:authenticated'],
};
export const ANONYMOUS = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

export const OK = { responseStatus: { metadata: {}, code: 200 } };
export const FORBIDDEN = {
  responseStatus: { metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403 },
  annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
};

/** A kube-apiserver audit event (audit.k8s.io/v1), ResponseComplete stage. */
export function audit(more: Record<string, unknown>): IncidentEvent {
  const auditID = nextId();
  const raw = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Request',
    auditID,
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/payments/pods',
    verb: 'get',
    user: SAM,
    sourceIPs: ['198.51.100.77'],
    userAgent: 'kubectl/v1.29.4 (linux/amd64) kubernetes/55019c8',
    requestReceivedTimestamp: '2026-05-12T02:53:40.000000Z',
    stageTimestamp: '2026-05-12T02:53:40.100000Z',
    ...OK,
    ...more,
  };
  return event('k8s-audit', raw, {
    id: auditID,
    outcome: ((raw.responseStatus as { code?: number } | undefined)?.code ?? 0) >= 400 ? 'failure' : 'success',
  });
}

/** A pod-creating audit event with the given pod spec. */
export function podCreate(spec: Record<string, unknown>, user: unknown = SAM, name = 'debugger'): IncidentEvent {
  return audit({
    verb: 'create',
    user,
    objectRef: { resource: 'pods', namespace: 'payments', name, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 201 },
    requestObject: { kind: 'Pod', apiVersion: 'v1', metadata: { name, namespace: 'payments' }, spec },
  });
}

/** A Falco JSON alert. */
export function falco(
  priority: string,
  rule: string,
  fields: Record<string, unknown> = {},
  output = `${priority} ${rule}`,
): IncidentEvent {
  return event('falco', {
    hostname: 'ip-10-30-12-84',
    source: 'syscall',
    output: `03:02:00.000000000: ${output}`,
    priority,
    rule,
    tags: ['container'],
    output_fields: {
      'container.id': '4f1a2b3c4d5e',
      'container.name': 'api',
      'k8s.ns.name': 'payments',
      'k8s.pod.name': 'api-7d9f8b6c5-x2kqp',
      ...fields,
    },
  });
}

/** A GuardDuty finding as GetFindings returns it. */
export function finding(type: string, severity: unknown, more: Record<string, unknown> = {}): IncidentEvent {
  return event(
    'guardduty',
    {
      schemaVersion: '2.0',
      accountId: '123456789012',
      region: 'eu-west-1',
      type,
      title: `${type} finding`,
      severity,
      resource: { resourceType: 'AccessKey' },
      service: { serviceName: 'guardduty', archived: false, count: 1 },
      ...more,
    },
    { targets: ['arn:aws:iam::123456789012:role/orders-api-prod'], action: type, outcome: 'unknown' },
  );
}
