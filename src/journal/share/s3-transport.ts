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

import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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

  async list(prefix: string): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.o.client.send(
        new ListObjectsV2Command({
          Bucket: this.o.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const c of page.Contents ?? []) if (c.Key) out.push({ key: c.Key, size: c.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async get(key: string): Promise<Buffer> {
    const r = await this.o.client.send(new GetObjectCommand({ Bucket: this.o.bucket, Key: key }));
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
