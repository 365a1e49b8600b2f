// A bucket's S3 Block Public Access configuration, read and written with the S3 client, and its
// policy and ACL read as evidence: what the containment action and its undo share. A bucket without one answers
// NoSuchPublicAccessBlockConfiguration, which means "none" (null here), not a failure.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetPublicAccessBlock.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

import {
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { z } from 'zod';
import { ActionError, awsRequestId } from '../../errors.js';
import type { ActionEnv } from '../../types.js';

export const PUBLIC_ACCESS_FLAGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;

/** One configuration, every flag explicit (S3 treats an omitted flag as false). */
export const publicAccessBlock = z.strictObject({
  BlockPublicAcls: z.boolean(),
  IgnorePublicAcls: z.boolean(),
  BlockPublicPolicy: z.boolean(),
  RestrictPublicBuckets: z.boolean(),
});
export type PublicAccessBlock = z.infer<typeof publicAccessBlock>;

/** A bucket's configuration, or null: it has none. */
export const publicAccessState = publicAccessBlock.nullable();
export type PublicAccessState = z.infer<typeof publicAccessState>;

export const FULL_BLOCK: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export function s3Of(env: ActionEnv): S3Client {
  if (!env.aws)
    throw new ActionError('no AWS session: start with firebreak live --profile P --region R', 'NoAwsSession');
  return env.aws.s3;
}

/** The bucket's configuration now (null: none), with the request ids of the read. */
export async function readPublicAccess(
  s3: S3Client,
  bucket: string,
): Promise<{ state: PublicAccessState; requestIds: string[] }> {
  try {
    const out = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    const c = out.PublicAccessBlockConfiguration ?? {};
    return {
      state: {
        BlockPublicAcls: c.BlockPublicAcls === true,
        IgnorePublicAcls: c.IgnorePublicAcls === true,
        BlockPublicPolicy: c.BlockPublicPolicy === true,
        RestrictPublicBuckets: c.RestrictPublicBuckets === true,
      },
      requestIds: awsRequestId(out),
    };
  } catch (e) {
    if ((e as { name?: unknown }).name === 'NoSuchPublicAccessBlockConfiguration')
      return { state: null, requestIds: awsRequestId(e as { $metadata?: { requestId?: string } }) };
    throw e;
  }
}

/** Makes the bucket's configuration exactly `want` (null: deletes it); the request ids of the call. */
export async function writePublicAccess(s3: S3Client, bucket: string, want: PublicAccessState): Promise<string[]> {
  const out = want
    ? await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { ...want } }))
    : await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
  return awsRequestId(out);
}

export function samePublicAccess(a: PublicAccessState, b: PublicAccessState): boolean {
  if (a === null || b === null) return a === b;
  return PUBLIC_ACCESS_FLAGS.every((f) => a[f] === b[f]);
}

/** "none", or the four flags: "BlockPublicAcls=true IgnorePublicAcls=false …". */
export function describePublicAccess(s: PublicAccessState): string {
  if (!s) return 'no public access block';
  return PUBLIC_ACCESS_FLAGS.map((f) => `${f}=${s[f]}`).join(' ');
}

/** A read that may be refused: the evidence says why instead of aborting the containment. */
export type Captured<T> = { value: T } | { error: string };

export interface BucketAccess {
  /** The bucket policy's JSON text; null: the bucket has none. */
  policy: Captured<string | null>;
  /** The ACL's owner and grants as S3 returned them. */
  acl: Captured<{ owner: string | null; grants: { grantee: string; permission: string }[] }>;
  requestIds: string[];
}

const GROUPS = 'http://acs.amazonaws.com/groups/global/';

function refused(e: unknown): { error: string } {
  const x = e as { name?: unknown; message?: unknown };
  return {
    error: `${typeof x.name === 'string' ? x.name : 'Error'}: ${typeof x.message === 'string' ? x.message : String(e)}`,
  };
}

/**
 * The bucket's policy and ACL, as evidence of how it was public. A refused read (no
 * s3:GetBucketPolicy, say) is recorded as refused: it must not keep a public bucket open.
 */
export async function readBucketAccess(s3: S3Client, bucket: string): Promise<BucketAccess> {
  const requestIds: string[] = [];
  let policy: BucketAccess['policy'];
  try {
    const out = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    requestIds.push(...awsRequestId(out));
    policy = { value: out.Policy ?? null };
  } catch (e) {
    policy = (e as { name?: unknown }).name === 'NoSuchBucketPolicy' ? { value: null } : refused(e);
  }
  let acl: BucketAccess['acl'];
  try {
    const out = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    requestIds.push(...awsRequestId(out));
    acl = {
      value: {
        owner: out.Owner?.ID ?? null,
        grants: (out.Grants ?? []).map((g) => ({
          grantee: g.Grantee?.URI ?? g.Grantee?.ID ?? g.Grantee?.EmailAddress ?? 'unknown',
          permission: g.Permission ?? 'unknown',
        })),
      },
    };
  } catch (e) {
    acl = refused(e);
  }
  return { policy, acl, requestIds };
}

/** One line each for the plan: which ACL grants are public, whether the policy names Principal "*". */
export function describeBucketAccess(a: BucketAccess): string[] {
  const acl =
    'error' in a.acl
      ? `ACL unreadable (${a.acl.error})`
      : (() => {
          const pub = a.acl.value.grants.filter((g) => g.grantee.startsWith(GROUPS));
          return pub.length
            ? `ACL grants ${pub.map((g) => `${g.permission} to ${g.grantee.slice(GROUPS.length)}`).join(', ')}`
            : 'ACL grants nothing to AllUsers or AuthenticatedUsers';
        })();
  const policy =
    'error' in a.policy
      ? `bucket policy unreadable (${a.policy.error})`
      : a.policy.value === null
        ? 'no bucket policy'
        : /"Principal"\s*:\s*(?:"\*"|\{\s*"AWS"\s*:\s*(?:"\*"|\[[^\]]*"\*"))/.test(a.policy.value)
          ? 'the bucket policy allows Principal "*"'
          : 'a bucket policy without Principal "*"';
  return [acl, policy];
}
