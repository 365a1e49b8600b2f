// S3 rules for attack techniques catalogued by Stratus Red Team that s3-rules.ts did not cover: a
// bucket policy opened to another account, objects rewritten under a customer-provided key
// (ransomware), mass deletion, and a lifecycle rule that deletes the logs within days.
// https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.s3-backdoor-bucket-policy/
// https://stratus-red-team.cloud/attack-techniques/AWS/aws.impact.s3-ransomware-client-side-encryption/
// https://stratus-red-team.cloud/attack-techniques/AWS/aws.impact.s3-ransomware-batch-deletion/
// https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.cloudtrail-lifecycle-rule/
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html

import { eventKey, type IncidentEvent } from '../domain/event.js';
import type { SeverityLevel } from '../domain/severity.js';
import { onCall } from './cloudtrail-rules.js';
import { cloudTrailView, outcomeSuffix, param, shortPrincipal, type CloudTrailView } from './cloudtrail-view.js';
import { createDistinctWindow } from './distinct-window.js';
import { allowStatements, at, clip, num, oneOrMany, policyDocument, str, timeMs } from './read.js';
import { lower, type Rule, type RuleHit } from './types.js';

/** The 12-digit account an IAM principal names: "arn:aws:iam::111122223333:root" or a bare id. */
function accountOf(principal: unknown): string | undefined {
  const s = str(principal)?.trim();
  if (!s) return undefined;
  if (/^\d{12}$/.test(s)) return s;
  return /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(s)?.[1];
}

/** Statements only letting the grantee write objects in, as log delivery from another account does. */
function writeOnly(s: unknown): boolean {
  const actions = oneOrMany(at(s, 'Action'));
  return actions.length > 0 && actions.every((a) => typeof a === 'string' && /^s3:PutObject(Acl)?$/i.test(a));
}

export const policyOtherAccount = onCall(
  {
    id: 'cloudtrail.s3-policy-other-account',
    title: 'S3 bucket policy grants another AWS account',
    severity: 1,
    why: 'A bucket policy now allows an account other than this one: whoever controls that account reads (or changes) the data with their own credentials, out of reach of key rotation here. Sev3 when the grant only lets the other account write objects in (log delivery does that).',
    runbook:
      'data-exposure: restore the previous bucket policy, confirm the account id with its owner, then check S3 access logs for its reads',
  },
  's3.amazonaws.com',
  ['PutBucketPolicy'],
  (v) => {
    const own = str(at(v.raw, 'recipientAccountId')) ?? str(at(v.raw, 'userIdentity', 'accountId'));
    if (!own) return false;
    const others = new Set<string>();
    let readable = false;
    for (const s of allowStatements(policyDocument(at(v.params, 'bucketPolicy')))) {
      const p = at(s, 'Principal');
      const accounts = [...oneOrMany(typeof p === 'string' ? p : at(p, 'AWS'))].flatMap((x) => {
        const a = accountOf(x);
        return a && a !== own ? [a] : [];
      });
      if (!accounts.length) continue;
      for (const a of accounts) others.add(a);
      if (!writeOnly(s)) readable = true;
    }
    if (!others.size) return false;
    const to = clip([...others].slice(0, 3).join(', '), 60);
    return {
      severity: readable ? 1 : 3,
      title: `S3 ${param(v, 'bucketName') ?? 'bucket'} policy grants account ${to}${readable ? '' : ' (write only)'}`,
    };
  },
);

const SSE_C = 'x-amz-server-side-encryption-customer-algorithm';
const HOUR = 3_600_000;

/**
 * One detection per principal, bucket, outcome and hour: a ransomware run is thousands of calls,
 * and a refused first attempt must not hide the successful ones after it.
 */
function campaign(e: IncidentEvent, v: CloudTrailView, bucket: string | undefined): string {
  const t = timeMs(e);
  const hour = t === undefined ? eventKey(e) : String(Math.floor(t / HOUR));
  return [v.principal, bucket ?? '', v.failed ? 'failed' : 'ok', hour].join('\u0000');
}

export const sseCEncryption: Rule = {
  id: 'cloudtrail.s3-sse-c-encryption',
  title: 'S3 objects written with a customer-provided key (SSE-C)',
  severity: 1,
  why: 'PutObject or CopyObject with SSE-C encrypts the object under a key only the caller holds; AWS keeps no copy. Rewriting existing objects this way is S3 ransomware: the data is there and unreadable.',
  runbook:
    'credentials-leak: contain the caller now, then list the objects rewritten (S3 data events) and restore earlier versions if versioning was on',
  match(e): RuleHit | false {
    const v = cloudTrailView(e);
    if (!v || v.eventSource !== 's3.amazonaws.com') return false;
    if (!['PutObject', 'CopyObject', 'CreateMultipartUpload'].includes(v.eventName)) return false;
    if (!str(at(v.params, SSE_C))) return false;
    const bucket = param(v, 'bucketName');
    const key = param(v, 'key');
    return {
      severity: v.failed ? lower(1) : 1,
      title: `S3 ${v.eventName} with a customer key (SSE-C) on ${bucket ?? 'a bucket'}${key ? `/${key}` : ''} by ${shortPrincipal(v.principal)}${outcomeSuffix(v)}`,
      dedupeKey: campaign(e, v, bucket),
    };
  },
};

const DELETE_THRESHOLD = 20;
const DELETE_WINDOW_MS = 10 * 60_000;

export const massDeletion: Rule = {
  id: 'cloudtrail.s3-mass-deletion',
  title: 'S3 objects deleted in bulk',
  severity: 1,
  why: `A DeleteObjects batch (up to 1,000 keys, not listed in CloudTrail) or ${DELETE_THRESHOLD} or more DeleteObject calls by one principal within ${DELETE_WINDOW_MS / 60_000} minutes: emptying a bucket, the step before a ransom note. Sev2 when every call was refused.`,
  runbook:
    'credentials-leak: contain the caller now, then restore from versions or backups (deleting versions needs s3:DeleteObjectVersion, check whether it was used)',
  createMatcher() {
    const window = createDistinctWindow({ threshold: DELETE_THRESHOLD, windowMs: DELETE_WINDOW_MS });
    return (e: IncidentEvent): RuleHit | false => {
      const v = cloudTrailView(e);
      if (!v || v.eventSource !== 's3.amazonaws.com') return false;
      const bucket = param(v, 'bucketName');
      const by = `${shortPrincipal(v.principal)}${outcomeSuffix(v)}`;
      if (v.eventName === 'DeleteObjects') {
        return {
          severity: v.failed ? lower(1) : 1,
          title: `S3 DeleteObjects batch on ${bucket ?? 'a bucket'} by ${by}`,
          dedupeKey: campaign(e, v, bucket),
        };
      }
      if (v.eventName !== 'DeleteObject') return false;
      // Each version deleted counts: on a versioned bucket that is how data is really destroyed.
      const version = str(at(v.params, 'versionId'));
      const object = `${str(at(v.params, 'bucketName')) ?? ''}/${str(at(v.params, 'key')) ?? eventKey(e)}${version ? `?versionId=${version}` : ''}`;
      const burst = window.add(e, v.principal, [object], eventKey(e), v.failed);
      if (!burst) return false;
      const all = burst.touches.every((x) => x.failed);
      const buckets = [...new Set(burst.touches.map((x) => x.item.split('/')[0] || '?'))];
      const on = clip(buckets.slice(0, 3).join(', '), 100);
      const severity: SeverityLevel = all ? lower(1) : 1;
      return {
        severity,
        title: `${burst.touches.length} S3 objects deleted on ${on} by ${shortPrincipal(v.principal)}${all ? ' (denied)' : ''}`,
        why: `${burst.touches.length} DeleteObject calls within ${DELETE_WINDOW_MS / 60_000} minutes (from ${new Date(burst.start).toISOString()}) on ${on} by ${clip(v.principal, 200)}.`,
        eventKeys: burst.touches.map((x) => x.key),
        dedupeKey: `${v.principal}@${burst.start}`,
      };
    };
  },
};

const SHORT_DAYS = 7;

/** The shortest enabled Expiration in days of a lifecycle configuration, as CloudTrail logs it. */
function shortestExpiry(params: unknown): number | undefined {
  const conf = at(params, 'LifecycleConfiguration');
  let min: number | undefined;
  for (const r of oneOrMany(at(conf, 'Rule') ?? at(conf, 'Rules'))) {
    if (str(at(r, 'Status'))?.toLowerCase() === 'disabled') continue;
    const days = num(at(r, 'Expiration', 'Days'));
    if (days !== undefined && days >= 0 && (min === undefined || days < min)) min = days;
  }
  return min;
}

export const shortLifecycle = onCall(
  {
    id: 'cloudtrail.log-bucket-short-lifecycle',
    title: 'S3 lifecycle rule expires objects within days',
    severity: 2,
    why: `A lifecycle rule expiring objects after ${SHORT_DAYS} days or less, put on the bucket a trail delivers to, deletes the audit logs without a single DeleteObject call: S3 does it. Scratch buckets use short expiry too; check where the trails deliver.`,
    runbook:
      'credentials-leak: restore the previous lifecycle configuration, export the logs still in the bucket to write-once storage, then contain the caller',
  },
  's3.amazonaws.com',
  ['PutBucketLifecycle', 'PutBucketLifecycleConfiguration'],
  (v) => {
    const days = shortestExpiry(v.params);
    if (days === undefined || days > SHORT_DAYS) return false;
    return {
      title: `S3 ${param(v, 'bucketName') ?? 'bucket'} lifecycle expires objects after ${days} day${days === 1 ? '' : 's'}`,
    };
  },
);

export const S3_TECHNIQUE_RULES: readonly Rule[] = [policyOtherAccount, sseCEncryption, massDeletion, shortLifecycle];
