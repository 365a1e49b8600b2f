// S3 rules: buckets made public (policy, ACL, public access block removed) and an unusual volume
// of GetObject by one principal — the exfiltration signal, counted by event time in a sliding
// window because CloudTrail delivers data events minutes late and out of order:
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-events.html

import { eventKey, type IncidentEvent } from '../domain/event.js';
import { cloudTrailView, outcomeSuffix, param, shortPrincipal } from './cloudtrail-view.js';
import { allowStatements, at, clip, isPublicIp, oneOrMany, str, timeMs } from './read.js';
import { lower, type Rule, type RuleHit } from './types.js';

const PUBLIC_GROUPS = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;
const PUBLIC_CANNED = ['public-read', 'public-read-write', 'authenticated-read'];

/** A bucket policy statement that allows anyone, with no Condition narrowing it (VPC, org id…). */
function publicStatement(s: unknown): boolean {
  const p = at(s, 'Principal');
  const anyone = p === '*' || oneOrMany(at(p, 'AWS')).includes('*');
  const cond = at(s, 'Condition');
  return (
    anyone && (cond === undefined || (typeof cond === 'object' && cond !== null && Object.keys(cond).length === 0))
  );
}

function publicAcl(params: unknown): string | undefined {
  const grants = oneOrMany(at(params, 'AccessControlPolicy', 'AccessControlList', 'Grant'));
  for (const g of grants) {
    const m = PUBLIC_GROUPS.exec(str(at(g, 'Grantee', 'URI')) ?? '');
    if (m) return `${m[1]} ${str(at(g, 'Permission')) ?? ''}`.trim();
  }
  const canned = oneOrMany(at(params, 'x-amz-acl')).find((a) => typeof a === 'string' && PUBLIC_CANNED.includes(a));
  return typeof canned === 'string' ? canned : undefined;
}

export const publicBucket: Rule = {
  id: 'cloudtrail.s3-public-bucket',
  title: 'S3 bucket or object made public',
  severity: 1,
  why: 'A bucket policy with Principal "*" and no condition, or an ACL granting AllUsers/AuthenticatedUsers, lets anyone on the internet read (or write) the data.',
  runbook:
    'data-exposure: restore the previous policy/ACL and turn Block Public Access on, then check S3 access logs for outside reads',
  match(e): RuleHit | false {
    const v = cloudTrailView(e);
    if (!v || v.eventSource !== 's3.amazonaws.com') return false;
    const bucket = param(v, 'bucketName') ?? 'a bucket';
    let how: string | undefined;
    if (v.eventName === 'PutBucketPolicy') {
      how = allowStatements(at(v.params, 'bucketPolicy')).some(publicStatement)
        ? 'policy allows Principal "*"'
        : undefined;
    } else if (v.eventName === 'PutBucketAcl' || v.eventName === 'PutObjectAcl') {
      const acl = publicAcl(v.params);
      how = acl ? `ACL grants ${acl}` : undefined;
    }
    if (!how) return false;
    return {
      severity: v.failed ? lower(1) : 1,
      title: `S3 ${bucket} made public (${how}) by ${shortPrincipal(v.principal)}${outcomeSuffix(v)}`,
    };
  },
};

export const publicAccessBlockRemoved: Rule = {
  id: 'cloudtrail.s3-public-access-block-removed',
  title: 'S3 Block Public Access removed',
  severity: 2,
  why: 'Block Public Access is the guard that overrides public policies and ACLs; deleting it is usually the first step to exposing a bucket.',
  runbook:
    'data-exposure: put the public access block back (PutPublicAccessBlock all true) and review the bucket policy and ACL',
  match(e): RuleHit | false {
    const v = cloudTrailView(e);
    if (!v) return false;
    // CloudTrail logs the bucket call as DeleteBucketPublicAccessBlock; DeletePublicAccessBlock is
    // the S3 Control (account-level) API name, logged with an accountId and no bucketName.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html
    if (v.eventSource !== 's3.amazonaws.com') return false;
    const bucketLevel =
      v.eventName === 'DeleteBucketPublicAccessBlock' ||
      (v.eventName === 'DeletePublicAccessBlock' && param(v, 'bucketName') !== undefined);
    const accountLevel =
      v.eventName === 'DeleteAccountPublicAccessBlock' ||
      (v.eventName === 'DeletePublicAccessBlock' && param(v, 'bucketName') === undefined);
    if (!bucketLevel && !accountLevel) return false;
    const where = accountLevel ? 'the account' : (param(v, 'bucketName') ?? 'a bucket');
    return {
      severity: v.failed ? 3 : 2,
      title: `Block Public Access removed from ${where} by ${shortPrincipal(v.principal)}${outcomeSuffix(v)}`,
    };
  },
};

export interface VolumeOptions {
  /** Calls that make a burst (default 100). */
  threshold?: number;
  /** Window length in ms, by event time (default 5 min). */
  windowMs?: number;
  /** How late an event may arrive and still count (default 20 min: CloudTrail's ~15 + margin). */
  lateMs?: number;
  /** Principals remembered at once; the least recently seen is forgotten first (default 5,000). */
  maxPrincipals?: number;
}

interface Seen {
  t: number;
  key: string;
  bucket?: string;
  ip?: string;
}

interface PrincipalWindow {
  /** Uncounted calls, sorted by time. */
  times: Seen[];
  /** Windows already reported, [start, end): their calls raise nothing more. */
  fired: [number, number][];
}

/**
 * ≥ `threshold` successful GetObject by one principal within `windowMs`, once per principal per
 * window. Memory: at most maxPrincipals × 4·threshold timestamps; calls older than the newest
 * seen minus window + lateness are dropped, and so are whole principals gone quiet.
 */
export function getObjectVolumeRule(opts: VolumeOptions = {}): Rule {
  const threshold = Math.max(1, opts.threshold ?? 100);
  const windowMs = opts.windowMs ?? 5 * 60_000;
  const lateMs = opts.lateMs ?? 20 * 60_000;
  const maxPrincipals = opts.maxPrincipals ?? 5_000;
  const perPrincipal = 4 * threshold;
  const minutes = Math.round(windowMs / 6_000) / 10;
  return {
    id: 'cloudtrail.s3-getobject-volume',
    title: 'Unusual S3 GetObject volume',
    severity: 2,
    why: `${threshold} or more GetObject calls within ${minutes} minutes by one principal: bulk download, possibly exfiltration. Sev1 when the calls come from a public IP address.`,
    runbook:
      'credentials-leak: identify the objects (S3 data events), revoke the principal’s sessions and deactivate its source key after preserving CloudTrail',
    createMatcher() {
      const byPrincipal = new Map<string, PrincipalWindow>();
      let newest = -Infinity;
      return (e: IncidentEvent): RuleHit | false => {
        const v = cloudTrailView(e);
        if (!v || v.eventSource !== 's3.amazonaws.com' || v.eventName !== 'GetObject' || v.failed) return false;
        const t = timeMs(e);
        if (t === undefined) return false;
        // A clock far ahead of when we learned of the call would push every later call past the
        // horizon; such a record is not counted.
        const discovered = Date.parse(e.discoveredAt);
        if (Number.isFinite(discovered) && t > discovered + 3_600_000) return false;
        newest = Math.max(newest, t);
        const horizon = newest - windowMs - lateMs;
        if (t < horizon) return false;

        const p = v.principal;
        const w = byPrincipal.get(p) ?? { times: [], fired: [] };
        byPrincipal.delete(p); // re-inserted last: Map order = least recently seen first
        evictQuiet(byPrincipal, horizon, maxPrincipals - 1);
        byPrincipal.set(p, w);

        w.fired = w.fired.filter(([, end]) => end >= horizon);
        if (w.fired.some(([s, end]) => t >= s && t < end)) return false;
        const bucket = param(v, 'bucketName');
        const seen: Seen = {
          t,
          key: eventKey(e),
          ...(bucket ? { bucket } : {}),
          ...(v.sourceIp ? { ip: v.sourceIp } : {}),
        };
        let idx = w.times.findIndex((x) => x.t > t);
        if (idx === -1) idx = w.times.length;
        w.times.splice(idx, 0, seen);
        const drop = Math.max(
          w.times.findIndex((x) => x.t >= horizon),
          w.times.length - perPrincipal,
        );
        if (drop > 0) {
          w.times.splice(0, drop);
          idx -= drop;
        }
        if (idx < 0) return false; // this very call was the oldest and fell off the cap

        // Before this call no window held `threshold` calls, so a new one must contain it.
        for (let i = Math.max(0, idx - threshold + 1); i + threshold - 1 < w.times.length && i <= idx; i++) {
          const start = w.times[i]!.t;
          if (w.times[i + threshold - 1]!.t - start >= windowMs) continue;
          const inWindow = w.times.filter((x) => x.t >= start && x.t < start + windowMs);
          w.times = w.times.filter((x) => x.t < start || x.t >= start + windowMs);
          w.fired.push([start, start + windowMs]);
          return hit(p, start, inWindow);
        }
        return false;
      };
    },
  };

  function hit(p: string, start: number, calls: Seen[]): RuleHit {
    const ips = [...new Set(calls.flatMap((c) => (c.ip ? [c.ip] : [])))];
    const buckets = [...new Set(calls.flatMap((c) => (c.bucket ? [c.bucket] : [])))];
    const external = ips.some((ip) => isPublicIp(ip));
    const from = ips.length ? ` from ${clip(ips.slice(0, 3).join(', '), 100)}` : '';
    const on = buckets.length ? ` on ${clip(buckets.slice(0, 3).join(', '), 100)}` : '';
    return {
      severity: external ? 1 : 2,
      title: `Unusual S3 GetObject volume${on} by ${shortPrincipal(p)}`,
      why: `${calls.length} GetObject calls within ${minutes} minutes (from ${new Date(start).toISOString()})${on} by ${clip(p, 200)}${from}. Bulk reads${external ? ' from a public IP address' : ''} are how data leaves.`,
      eventKeys: calls.map((c) => c.key),
      dedupeKey: `${p}@${start}`,
    };
  }
}

function evictQuiet(m: Map<string, PrincipalWindow>, horizon: number, max: number): void {
  for (const [p, w] of m) {
    const last = w.times.at(-1)?.t ?? w.fired.at(-1)?.[1] ?? -Infinity;
    if (m.size > max || last < horizon) m.delete(p);
    else break;
  }
}

export const S3_RULES: readonly Rule[] = [publicBucket, publicAccessBlockRemoved, getObjectVolumeRule()];
