// The segments' bucket on S3 Object Lock, with the real client (@aws-sdk/client-s3), the same WORM
// bucket evidence goes to (src/actions/evidence/upload-evidence.ts).
// - PutObject with ObjectLockMode COMPLIANCE and a RetainUntilDate: nobody, root included, can
//   delete or overwrite that version before the date
//   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
// - x-amz-checksum-sha256 of the body: S3 refuses bytes that differ from it in transit (BadDigest),
//   and an object with lock parameters must carry a checksum or Content-MD5 anyway.
// - If-None-Match: * makes the PUT conditional: a key that exists answers 412 PreconditionFailed
//   instead of stacking a new version on it
//   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).

import { GetObjectCommand, ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SealedSegment } from './segment.js';
import type { ListedObject, ShareTransport } from './transport.js';

const DAY = 86_400_000;

export interface S3TransportOptions {
  client: S3Client;
  bucket: string;
  retentionDays: number;
  mode?: 'COMPLIANCE' | 'GOVERNANCE';
  now?: () => Date;
}

export class S3Transport implements ShareTransport {
  constructor(private readonly o: S3TransportOptions) {}

  /**
   * Lists versions, not only keys: a key with a second version was written again behind the
   * writer's back (If-None-Match keeps an honest writer from doing it), and the first version is
   * the one Object Lock protects.
   */
  async list(prefix: string): Promise<ListedObject[]> {
    const byKey = new Map<string, ListedObject>();
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await this.o.client.send(
        new ListObjectVersionsCommand({
          Bucket: this.o.bucket,
          Prefix: prefix,
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(versionMarker ? { VersionIdMarker: versionMarker } : {}),
        }),
      );
      // Newest first within a key: the last one seen is the original.
      for (const v of page.Versions ?? []) {
        if (!v.Key) continue;
        const held = byKey.get(v.Key);
        byKey.set(v.Key, {
          key: v.Key,
          size: v.IsLatest ? (v.Size ?? 0) : (held?.size ?? v.Size ?? 0),
          versions: (held?.versions ?? 0) + 1,
          ...(v.VersionId ? { originalVersionId: v.VersionId } : {}),
        });
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async get(key: string, versionId?: string): Promise<Buffer> {
    const r = await this.o.client.send(
      new GetObjectCommand({ Bucket: this.o.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
    );
    if (!r.Body) throw new Error(`GetObject ${key}: no body`);
    return Buffer.from(await r.Body.transformToByteArray());
  }

  async put(segment: SealedSegment): Promise<'created' | 'exists'> {
    const now = (this.o.now ?? (() => new Date()))();
    try {
      await this.o.client.send(
        new PutObjectCommand({
          Bucket: this.o.bucket,
          Key: segment.key,
          Body: segment.body,
          ContentType: 'application/x-ndjson',
          ChecksumSHA256: segment.checksumSha256,
          ObjectLockMode: this.o.mode ?? 'COMPLIANCE',
          ObjectLockRetainUntilDate: new Date(now.getTime() + this.o.retentionDays * DAY),
          IfNoneMatch: '*',
          Metadata: { seal: segment.seal, first: String(segment.first), last: String(segment.last) },
        }),
      );
      return 'created';
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || (e as { name?: string }).name === 'PreconditionFailed') return 'exists';
      throw e;
    }
  }
}
