// The simulated S3's Block Public Access API over its REST-XML wire, with fetch: what real S3
// answers for a bucket without a configuration, the integrity header a PUT needs (checked against
// the body), omitted flags meaning false, and a malformed body refused.

import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { S3Sim } from '../src/s3/protocol.js';

let sim: S3Sim;
let url = '';
beforeEach(async () => {
  sim = new S3Sim({ buckets: [{ name: 'open' }] });
  url = await sim.start();
});
afterEach(() => sim.close());

const md5 = (s: string) => createHash('md5').update(s).digest('base64');
const crc = (s: string) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(s));
  return b.toString('base64');
};
const call = (method: string, body?: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/open?publicAccessBlock`, { method, headers, ...(body !== undefined ? { body } : {}) }).then(
    async (r) => ({ status: r.status, text: await r.text() }),
  );
const conf = (inner: string) =>
  `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</PublicAccessBlockConfiguration>`;

describe('Get/Put/DeletePublicAccessBlock', () => {
  it('a bucket without one answers 404 NoSuchPublicAccessBlockConfiguration', async () => {
    const r = await call('GET');
    expect(r.status).toBe(404);
    expect(r.text).toContain('<Code>NoSuchPublicAccessBlockConfiguration</Code>');
    expect(r.text).toContain('<BucketName>open</BucketName>');
  });

  it('PUT needs Content-MD5 or a checksum that matches the body; an omitted flag is false', async () => {
    const body = conf('<BlockPublicAcls>true</BlockPublicAcls><RestrictPublicBuckets>true</RestrictPublicBuckets>');
    const bare = await call('PUT', body);
    expect(bare.status).toBe(400);
    expect(bare.text).toContain('Missing required header for this request: Content-MD5');
    expect((await call('PUT', body, { 'content-md5': md5('other') })).text).toContain('<Code>BadDigest</Code>');
    expect((await call('PUT', body, { 'x-amz-checksum-crc32': crc('other') })).text).toContain(
      '<Code>BadDigest</Code>',
    );
    expect(sim.buckets.get('open')!.publicAccessBlock).toBeUndefined();

    expect((await call('PUT', body, { 'x-amz-checksum-crc32': crc(body) })).status).toBe(200);
    expect(sim.buckets.get('open')!.publicAccessBlock).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: true,
    });
    const got = await call('GET');
    expect(got.status).toBe(200);
    expect(got.text).toContain(
      '<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>',
    );
  });

  it('a malformed body is refused and changes nothing; DELETE removes the configuration', async () => {
    const bad = conf('<BlockPublicAcls>yes</BlockPublicAcls>');
    expect((await call('PUT', bad, { 'content-md5': md5(bad) })).text).toContain('<Code>MalformedXML</Code>');
    const notConf = '<Other/>';
    expect((await call('PUT', notConf, { 'content-md5': md5(notConf) })).text).toContain('<Code>MalformedXML</Code>');
    expect(sim.buckets.get('open')!.publicAccessBlock).toBeUndefined();

    const ok = conf('<IgnorePublicAcls>true</IgnorePublicAcls>');
    expect((await call('PUT', ok, { 'content-md5': md5(ok) })).status).toBe(200);
    expect((await call('DELETE')).status).toBe(204);
    expect(sim.buckets.get('open')!.publicAccessBlock).toBeUndefined();
    expect(sim.recorder.calls.map((c) => c.op).at(-1)).toBe('DeletePublicAccessBlock');
  });
});
