// One CloudTrail record (from an S3 log file, `aws cloudtrail lookup-events` output, or the
// LookupEvents API's CloudTrailEvent string) → the normalised IncidentEvent. Every field is
// attacker-influenced (user agents, request parameters), so nothing is trusted beyond its type:
// a record of the wrong shape is refused with a reason, never half-imported.

import { z } from 'zod';
import type { IncidentEvent } from '../../domain/event.js';
import { parseLeniently } from '../lenient-parse.js';

/** The fields we read; everything else stays in `raw` untouched. */
export const cloudTrailRecordSchema = z.looseObject({
  eventVersion: z.string().optional(),
  eventID: z.string().min(1),
  eventTime: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a time'),
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  awsRegion: z.string().optional(),
  sourceIPAddress: z.string().optional(),
  userAgent: z.string().optional(),
  errorCode: z.string().optional(),
  userIdentity: z
    .looseObject({
      type: z.string().optional(),
      arn: z.string().optional(),
      userName: z.string().optional(),
      principalId: z.string().optional(),
      accessKeyId: z.string().optional(),
      invokedBy: z.string().optional(),
    })
    .optional(),
  requestParameters: z.unknown().optional(),
  resources: z.array(z.looseObject({ ARN: z.string().optional(), arn: z.string().optional() })).optional(),
});

export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;

/** Without these there is no event to keep; any other malformed field is ignored with a warning. */
const REQUIRED = new Set(['eventID', 'eventTime', 'eventSource', 'eventName']);

const ACCESS_KEY_ID = /^(?:AKIA|ASIA)[A-Z0-9]{16}$/;

export type NormaliseResult = { ok: true; event: IncidentEvent } | { ok: false; reason: string };

/** Who acted, as an investigator pivots on it: the ARN, else the user name, else the service. */
export function cloudTrailActor(r: CloudTrailRecord): string {
  const u = r.userIdentity;
  if (!u) return 'unknown';
  if (u.type === 'Root') return u.arn ?? 'root';
  return u.arn ?? u.userName ?? u.invokedBy ?? u.principalId ?? u.type ?? 'unknown';
}

/** What was acted on: resources[] when CloudTrail lists them, else well-known request parameters. */
export function cloudTrailTargets(r: CloudTrailRecord): string[] {
  const out: string[] = [];
  for (const res of r.resources ?? []) {
    const arn = res.ARN ?? res.arn;
    if (arn) out.push(arn);
  }
  const p = r.requestParameters;
  if (p && typeof p === 'object') {
    const q = p as Record<string, unknown>;
    const str = (k: string) => (typeof q[k] === 'string' ? q[k] : undefined);
    const bucket = str('bucketName');
    if (bucket) out.push(`arn:aws:s3:::${bucket}${str('key') ? `/${str('key')}` : ''}`);
    for (const k of [
      'roleArn',
      'policyArn',
      'secretId',
      'name',
      'trailName',
      'userName',
      'roleName',
      'groupName',
      'accessKeyId',
      'instanceId',
      'dBInstanceIdentifier',
      'dBClusterIdentifier',
      'functionName',
      'keyId',
    ]) {
      const v = str(k);
      if (v && !out.includes(v)) out.push(k === 'userName' ? `user/${v}` : k === 'roleName' ? `role/${v}` : v);
    }
    const ids = (q.instancesSet as { items?: { instanceId?: unknown }[] } | undefined)?.items;
    for (const it of Array.isArray(ids) ? ids : []) if (typeof it.instanceId === 'string') out.push(it.instanceId);
  }
  return out;
}

const OPTIONAL_TOP = [
  'eventVersion',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'userIdentity',
  'resources',
];
const OPTIONAL_IDENTITY = ['type', 'arn', 'userName', 'principalId', 'accessKeyId', 'invokedBy'];

/**
 * CloudTrail writes null for optional fields it has no value for ("resources": null,
 * "invokedBy": null); null means absent, not a malformed record. Only the schema sees the copy:
 * `raw` keeps the record exactly as logged.
 */
function withoutNulls(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const k of OPTIONAL_TOP) if (r[k] === null) delete r[k];
  const u = r.userIdentity;
  if (u && typeof u === 'object' && !Array.isArray(u)) {
    const c: Record<string, unknown> = { ...(u as Record<string, unknown>) };
    for (const k of OPTIONAL_IDENTITY) if (c[k] === null) delete c[k];
    r.userIdentity = c;
  }
  return r;
}

/**
 * The account the event belongs to: `recipientAccountId` (the account whose resources the call
 * touched, the one to contain), else the caller's `userIdentity.accountId`. Twelve digits only,
 * since a forged record must not make a session act on an account it named in free text.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
function accountOf(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as { recipientAccountId?: unknown; userIdentity?: { accountId?: unknown } | null };
  for (const v of [r.recipientAccountId, r.userIdentity?.accountId])
    if (typeof v === 'string' && /^\d{12}$/.test(v)) return v;
  return undefined;
}

/**
 * Normalises one record. `discoveredAt` is when firebreak learned of it (now, for live polling;
 * the import time for files) — CloudTrail delivers minutes late, and the timeline shows both.
 */
export function normaliseCloudTrailRecord(raw: unknown, discoveredAt: string): NormaliseResult {
  const parsed = parseLeniently(cloudTrailRecordSchema, withoutNulls(raw), REQUIRED, 'CloudTrail record');
  if (!parsed.ok) return parsed;
  const r = parsed.data;
  const account = accountOf(raw);
  const source =
    r.eventSource === 'guardduty.amazonaws.com' && /Finding/.test(r.eventName) ? 'guardduty' : 'cloudtrail';
  const event: IncidentEvent = {
    source,
    id: r.eventID,
    eventTime: new Date(Date.parse(r.eventTime)).toISOString(),
    discoveredAt,
    actor: cloudTrailActor(r),
    action: r.eventName,
    targets: cloudTrailTargets(r),
    outcome: r.errorCode ? 'failure' : 'success',
    raw,
    ...(r.awsRegion ? { region: r.awsRegion } : {}),
    ...(account ? { account } : {}),
    ...(r.sourceIPAddress ? { sourceIp: r.sourceIPAddress } : {}),
    ...(r.userAgent ? { userAgent: r.userAgent } : {}),
    ...(r.errorCode ? { errorCode: r.errorCode } : {}),
    // Only a well-formed key id: a forged import must not smuggle text into a target.
    ...(ACCESS_KEY_ID.test(r.userIdentity?.accessKeyId ?? '') ? { accessKeyId: r.userIdentity!.accessKeyId! } : {}),
    ...(parsed.warnings.length ? { warnings: parsed.warnings } : {}),
  };
  return { ok: true, event };
}
