// Realistic records for the benchmarks: CloudTrail-shaped IncidentEvents (a `raw` of ~500 bytes,
// as S3 data events arrive from CloudTrail) and responder notes. Deterministic: record i is the
// same in every run, so runs are comparable.

const ACCOUNT = '123456789012';
const ROLES = ['ci-deployer', 'data-pipeline', 'break-glass', 'analytics-ro', 'backup-agent', 'web-app'];
const EVENT_NAMES = [
  'GetObject',
  'GetObject',
  'GetObject',
  'PutObject',
  'HeadObject',
  'ListObjects',
  'DeleteObject',
  'CopyObject',
];
const REGIONS = ['us-east-1', 'us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'];
const BUCKETS = ['acme-exports', 'acme-logs', 'acme-data', 'acme-backups'];
const AGENTS = ['aws-cli/2.15.30 Python/3.11.8 Linux/6.1', 'Boto3/1.34.69 Python/3.12.2', 'aws-sdk-go-v2/1.25.2'];

const hex = (n, width) => n.toString(16).padStart(width, '0');
const pick = (arr, i) => arr[i % arr.length];

// Formatting a Date costs more than the rest of an event; consecutive events share a second.
const secondCache = new Map();
function isoSeconds(epochMs) {
  const sec = Math.floor(epochMs / 1000);
  let s = secondCache.get(sec);
  if (s === undefined) {
    if (secondCache.size > 4096) secondCache.clear();
    s = new Date(sec * 1000).toISOString().slice(0, 19);
    secondCache.set(sec, s);
  }
  return s;
}
const isoMs = (epochMs) => `${isoSeconds(epochMs)}.${String(epochMs % 1000).padStart(3, '0')}Z`;

const T0 = Date.UTC(2025, 2, 14, 9, 0, 0);
const SESSION_T0 = Date.UTC(2025, 2, 14, 8, 0, 0);

/** The values that vary between events; everything else is fixed by the event's shape. */
export function eventValues(i) {
  const role = pick(ROLES, (i * 7) >>> 2);
  const session = `s-${(i >>> 6) % 97}`;
  const name = pick(EVENT_NAMES, i * 13);
  const bucket = pick(BUCKETS, i * 3);
  const t = T0 + i * 37;
  const failed = i % 50 === 7;
  return {
    id: `${hex(i, 8)}-5e1f-4c3a-9b2d-${hex((i * 2654435761) >>> 0, 12)}`,
    requestId: `${hex((i * 40503) >>> 0, 8)}${hex(i, 8)}`.toUpperCase(),
    eventTime: `${isoSeconds(t)}Z`,
    discoveredAt: isoMs(t + 5 * 60_000),
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    principalId: `AROA4EXAMPLE${hex(role.length * 977, 8).toUpperCase()}:${session}`,
    accessKeyId: `ASIA4EXAMPLE${hex(((i >>> 8) * 2246822519) >>> 0, 8).toUpperCase()}`,
    creationDate: `${isoSeconds(SESSION_T0 + (i >>> 6) * 60_000)}Z`,
    name,
    region: pick(REGIONS, i * 5),
    ip: `203.0.113.${(i * 31) % 251}`,
    agent: pick(AGENTS, i * 11),
    bucket,
    key: `exp/part-${hex(i % 4096, 4)}.parquet`,
    readOnly: name.startsWith('Get') || name.startsWith('Head') || name.startsWith('List'),
    outcome: failed ? 'failure' : 'success',
  };
}

/** Builds the IncidentEvent from its values (also used with placeholder values to make templates). */
export function buildEvent(v) {
  const failed = v.outcome === 'failure';
  const objectArn = `arn:aws:s3:::${v.bucket}/${v.key}`;
  const raw = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: v.principalId,
      arn: v.arn,
      accountId: ACCOUNT,
      accessKeyId: v.accessKeyId,
      sessionContext: { attributes: { creationDate: v.creationDate, mfaAuthenticated: 'false' } },
    },
    eventTime: v.eventTime,
    eventSource: 's3.amazonaws.com',
    eventName: v.name,
    awsRegion: v.region,
    sourceIPAddress: v.ip,
    userAgent: v.agent,
    requestParameters: { bucketName: v.bucket, key: v.key },
    responseElements: null,
    ...(failed ? { errorCode: 'AccessDenied', errorMessage: 'Access Denied' } : {}),
    requestID: v.requestId,
    eventID: v.id,
    readOnly: v.readOnly,
    resources: [{ type: 'AWS::S3::Object', ARN: objectArn }],
    eventType: 'AwsApiEvent',
    managementEvent: false,
    recipientAccountId: ACCOUNT,
  };
  return {
    source: 'cloudtrail',
    id: v.id,
    eventTime: v.eventTime,
    discoveredAt: v.discoveredAt,
    actor: v.arn,
    action: v.name,
    targets: [objectArn],
    region: v.region,
    sourceIp: v.ip,
    userAgent: v.agent,
    outcome: v.outcome,
    ...(failed ? { errorCode: 'AccessDenied' } : {}),
    raw,
  };
}

export function cloudTrailEvent(i) {
  return buildEvent(eventValues(i));
}

const NOTE_PHRASES = [
  'Isolated i-0a1b2c3d4e5f60718 by swapping its security group to sg-quarantine;',
  'revoked active sessions for role ci-deployer (aws:TokenIssueTime before 09:42Z);',
  'snapshot of vol-0f9e8d7c6b5a49382 taken for evidence, hash recorded in the manifest;',
  'customer-data bucket access logs exported to the evidence account.',
];

/** A responder note whose journal line (envelope + hash) is ~300 bytes. */
export function noteText(i) {
  const base = `#${i} ${NOTE_PHRASES[i % NOTE_PHRASES.length]}`;
  return base.padEnd(48, ' ').slice(0, 48).trimEnd();
}
