// The simulated S3 for evidence uploads, over its REST API with fetch: Object Lock refuses what
// real S3 refuses (lock headers without a lock configuration, no checksum, a checksum that does not
// match the bytes), and a locked bucket keeps every version.

import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { S3Sim } from '../src/s3/protocol.js';

const NOW = new Date('2026-04-20T13:00:00Z');
let sim: S3Sim;
let url = '';
beforeEach(async () => {
  sim = new S3Sim({ buckets: [{ name: 'evidence', objectLock: true }, { name: 'plain' }] }, { now: () => NOW });
  url = await sim.start();
});
afterEach(() => sim.close());

const sha = (s: string) => createHash('sha256').update(s).digest('base64');
const lock = { 'x-amz-object-lock-mode': 'COMPLIANCE', 'x-amz-object-lock-retain-until-date': '2026-05-20T13:00:00Z' };
const put = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${url}${path}`, { method: 'PUT', headers, body }).then(async (r) => ({
    status: r.status,
    text: await r.text(),
    version: r.headers.get('x-amz-version-id'),
  }));

describe('PutObject with Object Lock', () => {
  it('lock headers on a bucket without Object Lock are refused', async () => {
    const r = await put('/plain/a.txt', 'x', { ...lock, 'x-amz-checksum-sha256': sha('x') });
    expect(r.status).toBe(400);
    expect(r.text).toContain('Bucket is missing ObjectLockConfiguration');
  });

  it('needs a checksum, and the checksum must match the bytes', async () => {
    expect((await put('/evidence/a.txt', 'x', lock)).text).toContain(
      'Content-MD5 OR x-amz-checksum- HTTP header is required',
    );
    const bad = await put('/evidence/a.txt', 'x', { ...lock, 'x-amz-checksum-sha256': sha('y') });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>BadDigest</Code>');
    expect(sim.object('evidence', 'a.txt')).toBeUndefined();
  });

  it('a locked bucket is versioned: a second put keeps the first version', async () => {
    const one = await put('/evidence/a.txt', 'one', { ...lock, 'x-amz-checksum-sha256': sha('one') });
    const two = await put('/evidence/a.txt', 'two', { ...lock, 'x-amz-checksum-sha256': sha('two') });
    expect(one.status).toBe(200);
    expect(one.version).not.toEqual(two.version);
    expect(
      sim.buckets
        .get('evidence')!
        .objects.get('a.txt')!
        .map((v) => v.body.toString()),
    ).toEqual(['one', 'two']);
    const first = await fetch(`${url}/evidence/a.txt?versionId=${encodeURIComponent(one.version!)}`);
    expect(await first.text()).toBe('one');
  });
});

describe('ListObjectsV2 and conditional writes', () => {
  it('lists by prefix in key order, page by page with a continuation token', async () => {
    for (const k of ['p/b', 'p/a', 'p/c', 'q/a']) await put(`/plain/${k}`, k, {});
    const page1 = await (await fetch(`${url}/plain?list-type=2&prefix=p/&max-keys=2`)).text();
    expect([...page1.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1])).toEqual(['p/a', 'p/b']);
    expect(page1).toContain('<IsTruncated>true</IsTruncated>');
    const token = /<NextContinuationToken>([^<]+)</.exec(page1)![1]!;
    const page2 = await (
      await fetch(`${url}/plain?list-type=2&prefix=p/&max-keys=2&continuation-token=${token}`)
    ).text();
    expect([...page2.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1])).toEqual(['p/c']);
    expect(page2).toContain('<IsTruncated>false</IsTruncated>');
  });

  it('If-None-Match: * on an existing key is 412 and stores nothing', async () => {
    const h = { ...lock, 'x-amz-checksum-sha256': sha('x') };
    expect((await put('/evidence/seg', 'x', { ...h, 'if-none-match': '*' })).status).toBe(200);
    const again = await put('/evidence/seg', 'x', { ...h, 'if-none-match': '*' });
    expect(again.status).toBe(412);
    expect(again.text).toContain('<Code>PreconditionFailed</Code>');
    expect(sim.buckets.get('evidence')!.objects.get('seg')).toHaveLength(1);
  });

  it('ListObjectVersions lists every version, newest first within a key', async () => {
    const h = { ...lock, 'x-amz-checksum-sha256': sha('x') };
    await put('/evidence/k', 'x', h);
    await put('/evidence/k', 'x', h);
    const xmlText = await (await fetch(`${url}/evidence?versions&prefix=k`)).text();
    const ids = sim.buckets
      .get('evidence')!
      .objects.get('k')!
      .map((v) => v.versionId);
    expect([...xmlText.matchAll(/<VersionId>([^<]+)<\/VersionId><IsLatest>(\w+)</g)].map((m) => [m[1], m[2]])).toEqual([
      [ids[1], 'true'],
      [ids[0], 'false'],
    ]);
  });
});
