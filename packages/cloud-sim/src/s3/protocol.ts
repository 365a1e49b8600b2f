// The simulated S3 for evidence uploads: REST, path-style (`/bucket/key`, as the SDK sends with
// forcePathStyle), XML errors in S3's shape. It models what the evidence actions depend on and
// what goes wrong with them in real life:
// - Object Lock is per bucket: PutObject with lock headers on a bucket without it is refused
//   (InvalidRequest "Bucket is missing ObjectLockConfiguration").
// - A PutObject with lock parameters (or into a bucket with default retention) needs Content-MD5 or
//   an x-amz-checksum-* header, else InvalidRequest with S3's own message.
// - A sent `x-amz-checksum-sha256` is checked against the bytes received (BadDigest).
// - Lock-enabled buckets are versioned: every PutObject makes a new version.
// - HeadObject returns the checksum only when asked (`x-amz-checksum-mode: ENABLED`).
// - Block Public Access per bucket (`GET/PUT/DELETE /bucket?publicAccessBlock`): a bucket without
//   one answers 404 NoSuchPublicAccessBlockConfiguration; a PUT needs Content-MD5 or an
//   x-amz-checksum-* header (checked against the body), and a flag it omits is false.
//   https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html
//   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetPublicAccessBlock.html
// - GetBucketPolicy answers the policy's JSON as the body (404 NoSuchBucketPolicy when none);
//   GetBucketAcl the AccessControlPolicy XML with the owner and every grant.
//   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html
// - ListObjectsV2 (`GET /bucket?list-type=2&prefix=…`), in key order, max-keys pages with a
//   continuation token: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
// - ListObjectVersions (`GET /bucket?versions&prefix=…`), one page: every version, keys in order,
//   newest first within a key: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
// - A PutObject with `If-None-Match: *` on a key that exists is 412 PreconditionFailed:
//   https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { headersOf, listen, requestId, SimRecorder, xml, type RunningSim, type SimCall } from '../server/http.js';
import {
  OWNER_ID,
  PUBLIC_ACCESS_BLOCK_FLAGS,
  S3Model,
  sha256b64,
  type LockMode,
  type PublicAccessBlock,
  type S3Bucket,
  type S3Seed,
} from './model.js';

export type {
  AclGrant,
  LockMode,
  PublicAccessBlock,
  S3Bucket,
  S3ObjectVersion,
  S3Seed,
  S3SeedBucket,
  S3SeedObject,
} from './model.js';

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const MALFORMED_XML = 'The XML you provided was not well-formed or did not validate against our published schema';

const ERROR_MESSAGES: Record<string, string> = {
  NoSuchBucket: 'The specified bucket does not exist',
  NoSuchKey: 'The specified key does not exist.',
  AccessDenied: 'Access Denied',
};

export class S3Sim extends S3Model {
  readonly recorder: SimRecorder;
  private running: RunningSim | undefined;

  constructor(seed: S3Seed = {}, opts: { recorder?: SimRecorder; now?: () => Date } = {}) {
    super(seed, opts.now ? { now: opts.now } : {});
    this.recorder = opts.recorder ?? new SimRecorder();
  }

  get url(): string {
    if (!this.running) throw new Error('S3 sim not started');
    return this.running.url;
  }

  async start(): Promise<string> {
    this.running = await listen((req, body, res, raw) => void this.handle(req, body, res, raw));
    return this.running.url;
  }

  async close(): Promise<void> {
    await this.running?.close();
    this.running = undefined;
  }

  handle(req: IncomingMessage, body: string, res: ServerResponse, raw: Buffer): SimCall {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const [bucketName = '', ...rest] = url.pathname.slice(1).split('/');
    const bucketId = decodeURIComponent(bucketName);
    const key = rest.map(decodeURIComponent).join('/');
    const method = req.method ?? 'GET';
    const op = operation(method, key, query);
    const headers = headersOf(req);
    const call: SimCall = {
      service: 's3',
      op,
      method,
      path: url.pathname,
      query,
      headers,
      body: isText(raw) ? body : `<${raw.length} bytes>`,
      params: { bucket: bucketId, key },
      status: 200,
    };
    this.recorder.calls.push(call);
    const rid = requestId();
    const base = { 'x-amz-request-id': rid, 'x-amz-id-2': Buffer.from(rid).toString('base64') };
    const send = (status: number, h: Record<string, string>, payload = '') => {
      call.status = status;
      res.writeHead(status, { ...base, ...h, ...(payload ? { 'content-type': 'application/xml' } : {}) });
      // HEAD responses never carry a body (the SDK maps a bodiless 404 to NotFound).
      res.end(method === 'HEAD' ? undefined : payload);
    };
    const fail = (status: number, code: string, message = ERROR_MESSAGES[code] ?? code, extra = '') =>
      send(
        status,
        {},
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message>${extra}<RequestId>${rid}</RequestId><HostId>${base['x-amz-id-2']}</HostId></Error>`,
      );

    const fault = this.recorder.takeFault(op);
    if (fault) return (fail(fault.status, fault.code, fault.message), call);
    const bucket = this.buckets.get(bucketId);
    if (!bucket) return (fail(404, 'NoSuchBucket', undefined, `<BucketName>${xml(bucketId)}</BucketName>`), call);

    switch (op) {
      case 'PutObject':
        this.putObject(bucket, key, headers, decodeChunked(headers, raw), send, fail);
        break;
      case 'HeadObject':
      case 'GetObject': {
        const v = this.version(bucket, key, query.versionId);
        if (!v) return (fail(404, 'NoSuchKey', undefined, `<Key>${xml(key)}</Key>`), call);
        const h: Record<string, string> = {
          'content-length': String(v.body.length),
          'content-type': v.contentType,
          etag: v.etag,
          'last-modified': v.lastModified.toUTCString(),
          ...(bucket.versioning ? { 'x-amz-version-id': v.versionId } : {}),
          ...(v.lockMode ? { 'x-amz-object-lock-mode': v.lockMode } : {}),
          ...(v.retainUntil ? { 'x-amz-object-lock-retain-until-date': v.retainUntil } : {}),
          ...(v.checksumSha256 && headers['x-amz-checksum-mode'] === 'ENABLED'
            ? { 'x-amz-checksum-sha256': v.checksumSha256, 'x-amz-checksum-type': 'FULL_OBJECT' }
            : {}),
        };
        for (const [k, val] of Object.entries(v.metadata)) h[`x-amz-meta-${k}`] = val;
        call.status = 200;
        res.writeHead(200, { ...base, ...h });
        res.end(op === 'GetObject' ? v.body : undefined);
        break;
      }
      case 'GetObjectRetention': {
        const v = this.version(bucket, key, query.versionId);
        if (!v) return (fail(404, 'NoSuchKey'), call);
        if (!bucket.objectLock)
          return (fail(400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration'), call);
        if (!v.lockMode)
          return (
            fail(404, 'NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration'),
            call
          );
        send(
          200,
          {},
          `<?xml version="1.0" encoding="UTF-8"?>\n<Retention xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Mode>${v.lockMode}</Mode><RetainUntilDate>${xml(v.retainUntil ?? '')}</RetainUntilDate></Retention>`,
        );
        break;
      }
      case 'GetObjectLockConfiguration': {
        if (!bucket.objectLock)
          return (
            fail(
              404,
              'ObjectLockConfigurationNotFoundError',
              'Object Lock configuration does not exist for this bucket',
              `<BucketName>${xml(bucket.name)}</BucketName>`,
            ),
            call
          );
        const rule = bucket.defaultRetention
          ? `<Rule><DefaultRetention><Mode>${bucket.defaultRetention.mode}</Mode><Days>${bucket.defaultRetention.days}</Days></DefaultRetention></Rule>`
          : '';
        send(
          200,
          {},
          `<?xml version="1.0" encoding="UTF-8"?>\n<ObjectLockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}</ObjectLockConfiguration>`,
        );
        break;
      }
      case 'GetBucketVersioning':
        send(
          200,
          {},
          `<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${bucket.versioning ? `<Status>${bucket.versioning}</Status>` : ''}</VersioningConfiguration>`,
        );
        break;
      case 'PutBucketVersioning': {
        const status = /<Status>(Enabled|Suspended)<\/Status>/.exec(body)?.[1] as 'Enabled' | 'Suspended' | undefined;
        if (!status)
          return (
            fail(
              400,
              'MalformedXML',
              'The XML you provided was not well-formed or did not validate against our published schema',
            ),
            call
          );
        if (bucket.objectLock && status === 'Suspended')
          return (
            fail(
              409,
              'InvalidBucketState',
              'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
            ),
            call
          );
        bucket.versioning = status;
        send(200, {});
        break;
      }
      case 'GetPublicAccessBlock': {
        const b = bucket.publicAccessBlock;
        if (!b)
          return (
            fail(
              404,
              'NoSuchPublicAccessBlockConfiguration',
              'The public access block configuration was not found',
              `<BucketName>${xml(bucket.name)}</BucketName>`,
            ),
            call
          );
        const flags = PUBLIC_ACCESS_BLOCK_FLAGS.map((f) => `<${f}>${b[f]}</${f}>`).join('');
        send(
          200,
          {},
          `<?xml version="1.0" encoding="UTF-8"?>\n<PublicAccessBlockConfiguration xmlns="${S3_NS}">${flags}</PublicAccessBlockConfiguration>`,
        );
        break;
      }
      case 'PutPublicAccessBlock': {
        const refused = checksumRefusal(headers, raw);
        if (refused) return (fail(400, refused.code, refused.message), call);
        const conf = parsePublicAccessBlock(body);
        if (!conf) return (fail(400, 'MalformedXML', MALFORMED_XML), call);
        bucket.publicAccessBlock = conf;
        send(200, {});
        break;
      }
      case 'DeletePublicAccessBlock':
        delete bucket.publicAccessBlock;
        send(204, {});
        break;
      case 'GetBucketPolicy':
        if (bucket.policy === undefined)
          return (
            fail(
              404,
              'NoSuchBucketPolicy',
              'The bucket policy does not exist',
              `<BucketName>${xml(bucket.name)}</BucketName>`,
            ),
            call
          );
        call.status = 200;
        res.writeHead(200, { ...base, 'content-type': 'application/json' });
        res.end(bucket.policy);
        break;
      case 'GetBucketAcl': {
        const grants = bucket.grants
          .map(
            (g) =>
              `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="${g.type}">${g.type === 'Group' ? `<URI>${xml(g.grantee)}</URI>` : `<ID>${xml(g.grantee)}</ID>`}</Grantee><Permission>${g.permission}</Permission></Grant>`,
          )
          .join('');
        send(
          200,
          {},
          `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="${S3_NS}"><Owner><ID>${OWNER_ID}</ID></Owner><AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`,
        );
        break;
      }
      case 'HeadBucket':
        send(200, {});
        break;
      case 'ListObjectVersions': {
        const prefix = query.prefix ?? '';
        const versions = [...bucket.objects.keys()]
          .filter((k) => k.startsWith(prefix))
          .sort()
          .flatMap((k) => {
            const vs = bucket.objects.get(k)!;
            return vs
              .map(
                (v, i) =>
                  `<Version><Key>${xml(k)}</Key><VersionId>${xml(v.versionId)}</VersionId><IsLatest>${i === vs.length - 1}</IsLatest><LastModified>${v.lastModified.toISOString()}</LastModified><ETag>${xml(v.etag)}</ETag><Size>${v.body.length}</Size><StorageClass>STANDARD</StorageClass></Version>`,
              )
              .reverse();
          })
          .join('');
        send(
          200,
          {},
          `<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult xmlns="${S3_NS}"><Name>${xml(bucket.name)}</Name><Prefix>${xml(prefix)}</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${versions}</ListVersionsResult>`,
        );
        break;
      }
      case 'ListObjectsV2': {
        const prefix = query.prefix ?? '';
        const max = Math.min(1000, Math.max(1, Number(query['max-keys'] ?? 1000) || 1000));
        const after = query['continuation-token']
          ? Buffer.from(query['continuation-token'], 'base64url').toString()
          : (query['start-after'] ?? '');
        const keys = [...bucket.objects.keys()]
          .filter((k) => k.startsWith(prefix) && k > after && bucket.objects.get(k)!.length > 0)
          .sort();
        const page = keys.slice(0, max);
        const truncated = keys.length > max;
        const contents = page
          .map((k) => {
            const v = bucket.objects.get(k)!.at(-1)!;
            return `<Contents><Key>${xml(k)}</Key><LastModified>${v.lastModified.toISOString()}</LastModified><ETag>${xml(v.etag)}</ETag><Size>${v.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
          })
          .join('');
        const next = truncated
          ? `<NextContinuationToken>${Buffer.from(page.at(-1)!).toString('base64url')}</NextContinuationToken>`
          : '';
        send(
          200,
          {},
          `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${S3_NS}"><Name>${xml(bucket.name)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
        );
        break;
      }
      default:
        fail(501, 'NotImplemented', `the S3 sim does not implement ${method} ${url.pathname}${url.search}`);
    }
    return call;
  }

  private putObject(
    bucket: S3Bucket,
    key: string,
    headers: Record<string, string>,
    body: Body | undefined,
    send: (status: number, h: Record<string, string>) => void,
    fail: (status: number, code: string, message?: string) => void,
  ): void {
    if (!key) return fail(400, 'InvalidRequest', 'A key is required');
    if (!body) return fail(400, 'IncompleteBody', 'The request body terminated unexpectedly');
    if (headers['if-none-match'] === '*' && (bucket.objects.get(key)?.length ?? 0) > 0)
      return fail(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    const mode = headers['x-amz-object-lock-mode'];
    const until = headers['x-amz-object-lock-retain-until-date'];
    const lockParams =
      mode !== undefined || until !== undefined || headers['x-amz-object-lock-legal-hold'] !== undefined;
    if (lockParams && !bucket.objectLock)
      return fail(400, 'InvalidRequest', 'Bucket is missing ObjectLockConfiguration');
    const hasChecksum =
      headers['content-md5'] !== undefined ||
      Object.keys(headers).some((h) => h.startsWith('x-amz-checksum-')) ||
      headers['x-amz-sdk-checksum-algorithm'] !== undefined;
    if ((lockParams || bucket.defaultRetention) && !hasChecksum) {
      return fail(
        400,
        'InvalidRequest',
        'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
      );
    }
    if ((mode === undefined) !== (until === undefined)) {
      return fail(
        400,
        'InvalidArgument',
        'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
      );
    }
    if (mode !== undefined && mode !== 'COMPLIANCE' && mode !== 'GOVERNANCE')
      return fail(400, 'InvalidArgument', 'Unknown wormMode directive.');
    if (until !== undefined) {
      const t = Date.parse(until);
      if (!Number.isFinite(t))
        return fail(400, 'InvalidArgument', 'The retain until date must be provided in ISO 8601 format');
      if (t <= this.now().getTime())
        return fail(400, 'InvalidArgument', 'The retain until date must be in the future!');
    }
    const sha = sha256b64(body);
    const sentSha = headers['x-amz-checksum-sha256'] ?? body.trailer?.['x-amz-checksum-sha256'];
    if (sentSha !== undefined && sentSha !== sha)
      return fail(400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
    const md5 = headers['content-md5'];
    if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64'))
      return fail(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    const algo = (headers['x-amz-sdk-checksum-algorithm'] ?? '').toUpperCase();
    const lockMode: LockMode | undefined = mode;
    const retention = lockMode
      ? { lockMode, retainUntil: new Date(until!).toISOString() }
      : bucket.defaultRetention
        ? {
            lockMode: bucket.defaultRetention.mode,
            retainUntil: new Date(this.now().getTime() + bucket.defaultRetention.days * 86_400_000).toISOString(),
          }
        : {};
    const metadata: Record<string, string> = {};
    for (const [h, v] of Object.entries(headers))
      if (h.startsWith('x-amz-meta-')) metadata[h.slice('x-amz-meta-'.length)] = v;
    const v = this.store(bucket, key, body, {
      contentType: headers['content-type'] ?? 'binary/octet-stream',
      metadata,
      ...(sentSha !== undefined || algo === 'SHA256' ? { checksumSha256: sha } : {}),
      ...retention,
    });
    send(200, {
      etag: v.etag,
      ...(bucket.versioning === 'Enabled' ? { 'x-amz-version-id': v.versionId } : {}),
      ...(v.checksumSha256 ? { 'x-amz-checksum-sha256': v.checksumSha256, 'x-amz-checksum-type': 'FULL_OBJECT' } : {}),
    });
  }
}

/** The S3 operation a path-style request names (the SDK also adds `x-id=<Op>`; it is not needed here). */
function operation(method: string, key: string, q: Record<string, string>): string {
  const has = (k: string) => k in q;
  if (key) {
    if (method === 'PUT') return has('retention') ? 'PutObjectRetention' : 'PutObject';
    if (method === 'HEAD') return 'HeadObject';
    if (method === 'GET') return has('retention') ? 'GetObjectRetention' : 'GetObject';
    if (method === 'DELETE') return 'DeleteObject';
  } else {
    if (method === 'GET' && has('object-lock')) return 'GetObjectLockConfiguration';
    if (method === 'GET' && has('versioning')) return 'GetBucketVersioning';
    if (method === 'PUT' && has('versioning')) return 'PutBucketVersioning';
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'GET' && q['list-type'] === '2') return 'ListObjectsV2';
    if (method === 'GET' && has('versions')) return 'ListObjectVersions';
    if (method === 'GET' && has('policy')) return 'GetBucketPolicy';
    if (method === 'GET' && has('acl')) return 'GetBucketAcl';
    if (has('publicAccessBlock')) {
      if (method === 'GET') return 'GetPublicAccessBlock';
      if (method === 'PUT') return 'PutPublicAccessBlock';
      if (method === 'DELETE') return 'DeletePublicAccessBlock';
    }
  }
  return `${method} ${key ? 'object' : 'bucket'}`;
}

/**
 * Why S3 refuses a configuration PUT's integrity headers (it requires one: Content-MD5, or a
 * flexible checksum the SDK computes), or undefined. Both are checked against the bytes received.
 */
function checksumRefusal(headers: Record<string, string>, raw: Buffer): { code: string; message: string } | undefined {
  const md5 = headers['content-md5'];
  const crc = headers['x-amz-checksum-crc32'];
  const sha = headers['x-amz-checksum-sha256'];
  const others = Object.keys(headers).filter(
    (h) => h.startsWith('x-amz-checksum-') && !['x-amz-checksum-crc32', 'x-amz-checksum-sha256'].includes(h),
  );
  if (md5 === undefined && crc === undefined && sha === undefined && others.length === 0)
    return { code: 'InvalidRequest', message: 'Missing required header for this request: Content-MD5' };
  if (md5 !== undefined && md5 !== createHash('md5').update(raw).digest('base64'))
    return { code: 'BadDigest', message: 'The Content-MD5 you specified did not match what we received.' };
  if (crc !== undefined) {
    const want = Buffer.alloc(4);
    want.writeUInt32BE(crc32(raw));
    if (crc !== want.toString('base64'))
      return { code: 'BadDigest', message: 'The CRC32 you specified did not match the calculated checksum.' };
  }
  if (sha !== undefined && sha !== sha256b64(raw))
    return { code: 'BadDigest', message: 'The SHA256 you specified did not match the calculated checksum.' };
  return undefined;
}

/** A PublicAccessBlockConfiguration body; a flag it omits is false. Undefined when malformed. */
function parsePublicAccessBlock(body: string): PublicAccessBlock | undefined {
  const root = /<PublicAccessBlockConfiguration(?:\s[^>]*)?>([\s\S]*)<\/PublicAccessBlockConfiguration>/.exec(body);
  if (!root) return undefined;
  const conf = {} as PublicAccessBlock;
  for (const f of PUBLIC_ACCESS_BLOCK_FLAGS) {
    const m = new RegExp(`<${f}>\\s*([^<]*?)\\s*</${f}>`).exec(root[1]!);
    if (m && m[1] !== 'true' && m[1] !== 'false') return undefined;
    conf[f] = m?.[1] === 'true';
  }
  return conf;
}

function isText(b: Buffer): boolean {
  return b.length < 64 * 1024 && !b.includes(0);
}

type Body = Buffer & { trailer?: Record<string, string> };

/**
 * The body's payload bytes. Streaming uploads arrive `aws-chunked` (hex size, CRLF, data, CRLF …,
 * a zero chunk, then trailers such as `x-amz-checksum-sha256:…`); plain ones as they are.
 * Undefined when the framing is broken.
 */
function decodeChunked(headers: Record<string, string>, raw: Buffer): Body | undefined {
  if (
    !/aws-chunked/.test(headers['content-encoding'] ?? '') &&
    !(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')
  )
    return raw;
  const parts: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', i);
    if (eol < 0) return undefined;
    const size = parseInt(raw.subarray(i, eol).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size)) return undefined;
    i = eol + 2;
    if (size === 0) break;
    parts.push(raw.subarray(i, i + size));
    i += size + 2;
  }
  const out: Body = Buffer.concat(parts);
  out.trailer = {};
  for (const line of raw.subarray(i).toString('latin1').split('\r\n')) {
    const c = line.indexOf(':');
    if (c > 0) out.trailer[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return out;
}
