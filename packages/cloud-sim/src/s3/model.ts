// S3's state and rules for evidence uploads, for the simulated S3: buckets with Object Lock (which
// turns versioning on) and default retention, object versions with their checksums and lock
// settings. Lock-enabled buckets keep every version; others keep only the latest (`null` id).

import { createHash, randomBytes } from 'node:crypto';

export type LockMode = 'COMPLIANCE' | 'GOVERNANCE';

export interface S3SeedObject {
  key: string;
  body: string;
  lockMode?: LockMode;
  /** ISO-8601 UTC. */
  retainUntil?: string;
}

/** A bucket's S3 Block Public Access settings (PutPublicAccessBlock); absent flags are false. */
export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export const PUBLIC_ACCESS_BLOCK_FLAGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;

/** One ACL grant: a group by URI (…/global/AllUsers) or a canonical user by id. */
export interface AclGrant {
  type: 'Group' | 'CanonicalUser';
  /** The group's URI or the user's canonical id. */
  grantee: string;
  permission: 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
}

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
/** The owner every simulated bucket has (a canonical user id). */
export const OWNER_ID = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

export interface S3SeedBucket {
  name: string;
  /** The bucket policy (JSON text); absent: none (GetBucketPolicy answers NoSuchBucketPolicy). */
  policy?: string;
  /** Grants besides the owner's FULL_CONTROL. */
  grants?: AclGrant[];
  /** The bucket's public access block; absent: none (GetPublicAccessBlock answers NoSuchPublicAccessBlockConfiguration). */
  publicAccessBlock?: PublicAccessBlock;
  /** Object Lock enabled at creation (which also turns versioning on). */
  objectLock?: boolean;
  defaultRetention?: { mode: LockMode; days: number };
  versioning?: 'Enabled' | 'Suspended';
  objects?: S3SeedObject[];
}

export interface S3Seed {
  buckets?: S3SeedBucket[];
}

/** One stored object version; tests and drills may change these behind an action's back. */
export interface S3ObjectVersion {
  versionId: string;
  body: Buffer;
  etag: string;
  lastModified: Date;
  contentType: string;
  /** Base64 SHA-256, kept when the upload asked for SHA256 checksums. */
  checksumSha256?: string;
  lockMode?: LockMode;
  retainUntil?: string;
  metadata: Record<string, string>;
}

export interface S3Bucket {
  name: string;
  objectLock: boolean;
  defaultRetention?: { mode: LockMode; days: number };
  versioning?: 'Enabled' | 'Suspended';
  /** Tests and drills may change or remove it behind an action's back. */
  publicAccessBlock?: PublicAccessBlock;
  policy?: string;
  /** The ACL's grants, the owner's FULL_CONTROL first. */
  grants: AclGrant[];
  /** Key → versions, oldest first. */
  objects: Map<string, S3ObjectVersion[]>;
}

export class S3Model {
  readonly buckets = new Map<string, S3Bucket>();
  protected readonly now: () => Date;

  constructor(seed: S3Seed = {}, opts: { now?: () => Date } = {}) {
    this.now = opts.now ?? (() => new Date());
    for (const b of seed.buckets ?? []) {
      const bucket: S3Bucket = {
        name: b.name,
        objectLock: !!b.objectLock,
        ...(b.defaultRetention ? { defaultRetention: b.defaultRetention } : {}),
        ...(b.objectLock ? { versioning: 'Enabled' as const } : b.versioning ? { versioning: b.versioning } : {}),
        ...(b.publicAccessBlock ? { publicAccessBlock: { ...b.publicAccessBlock } } : {}),
        ...(b.policy !== undefined ? { policy: b.policy } : {}),
        grants: [
          { type: 'CanonicalUser', grantee: OWNER_ID, permission: 'FULL_CONTROL' },
          ...(b.grants ?? []).map((g) => ({ ...g })),
        ],
        objects: new Map(),
      };
      this.buckets.set(b.name, bucket);
      for (const o of b.objects ?? []) {
        this.store(bucket, o.key, Buffer.from(o.body), {
          contentType: 'application/octet-stream',
          metadata: {},
          checksumSha256: sha256b64(Buffer.from(o.body)),
          ...(o.lockMode ? { lockMode: o.lockMode } : {}),
          ...(o.retainUntil ? { retainUntil: o.retainUntil } : {}),
        });
      }
    }
  }

  /** The current version of an object (undefined if none). */
  object(bucket: string, key: string): S3ObjectVersion | undefined {
    return this.buckets.get(bucket)?.objects.get(key)?.at(-1);
  }

  protected store(
    bucket: S3Bucket,
    key: string,
    body: Buffer,
    o: Omit<S3ObjectVersion, 'versionId' | 'body' | 'etag' | 'lastModified'>,
  ): S3ObjectVersion {
    const v: S3ObjectVersion = {
      versionId: bucket.versioning === 'Enabled' ? randomBytes(16).toString('base64url') : 'null',
      body: Buffer.from(body),
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: this.now(),
      ...o,
    };
    const versions = bucket.versioning === 'Enabled' ? (bucket.objects.get(key) ?? []) : [];
    versions.push(v);
    bucket.objects.set(key, versions);
    return v;
  }

  protected version(bucket: S3Bucket, key: string, versionId: string | undefined): S3ObjectVersion | undefined {
    const versions = bucket.objects.get(key) ?? [];
    return versionId ? versions.find((v) => v.versionId === versionId) : versions.at(-1);
  }
}

export function sha256b64(b: Buffer): string {
  return createHash('sha256').update(b).digest('base64');
}
