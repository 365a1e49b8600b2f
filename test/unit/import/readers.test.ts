import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/sources/files/detect.js';
import { normaliseFalcoLine } from '../../../src/sources/files/falco.js';
import { JsonArraySplitter, JsonStructureError } from '../../../src/sources/files/json-array.js';
import { LineSplitter } from '../../../src/sources/files/lines.js';
import { readInputFile, type FileStats, type ReadItem } from '../../../src/sources/files/read.js';
import { normaliseAuditEvent } from '../../../src/sources/kubernetes/audit.js';
import { tempDir } from '../../helpers/tmp.js';
import { ctRecord, FIXTURES, logText } from './helpers.js';

const NOW = '2026-04-20T15:00:00.000Z';

function splitAll(text: string, chunk: number): { key: string; index: number; text: string | undefined }[] {
  const s = new JsonArraySplitter(new Set(['Records', 'Events']));
  const buf = Buffer.from(text, 'utf8');
  const out = [];
  for (let i = 0; i < buf.length; i += chunk) out.push(...s.push(buf.subarray(i, i + chunk)));
  s.end();
  return out.map(({ key, index, text }) => ({ key, index, text }));
}

describe('JSON array splitter', () => {
  const tricky = {
    Other: [{ eventID: 'not-me' }],
    Records: [ctRecord(1, { userAgent: 'x"]}{[,\\"é中' }), { a: [1, [2]], b: '}' }, 42, 'str,]'],
    NextToken: 'abc',
  };
  const text = JSON.stringify(tricky, null, 2);

  it.each([1, 2, 7, 64, 1 << 20])('yields the same records at chunk size %i, whatever the boundaries', (n) => {
    const got = splitAll(text, n);
    expect(got.map((g) => g.index)).toEqual([1, 2, 3, 4]);
    expect(got.every((g) => g.key === 'Records')).toBe(true);
    expect(got.map((g) => JSON.parse(g.text!) as unknown)).toEqual(tricky.Records);
  });

  it('splits a bare top-level array too', () => {
    expect(splitAll(JSON.stringify([ctRecord(1), ctRecord(2)]), 5).map((g) => g.key)).toEqual(['', '']);
  });

  it('reports a truncated input inside a record', () => {
    const s = new JsonArraySplitter(new Set(['Records']));
    const full = logText([ctRecord(1), ctRecord(2)]);
    expect(s.push(Buffer.from(full.slice(0, full.length - 40))).length).toBe(1);
    expect(() => s.end()).toThrow(/inside record 2 \(truncated\?\)/);
  });

  it('reads concatenated log files (zcat *.json.gz) as one stream of records', () => {
    const got = splitAll(logText([ctRecord(1)]) + logText([ctRecord(2), ctRecord(3)]) + '\n', 3);
    expect(got.map((g) => [g.index, (JSON.parse(g.text!) as { eventID: string }).eventID.slice(-1)])).toEqual([
      [1, '1'],
      [2, '2'],
      [3, '3'],
    ]);
  });

  it('refuses mismatched brackets and trailing garbage', () => {
    expect(() => new JsonArraySplitter(new Set(['Records'])).push(Buffer.from('{"Records":[]} x'))).toThrow(
      /expected "\{" or "\[" at byte 15/,
    );
    const s = new JsonArraySplitter(new Set(['Records']));
    expect(() => s.push(Buffer.from('{"Records":[{"a":1]]}'))).toThrow(JsonStructureError);
  });

  it('caps an oversized record without keeping it', () => {
    const s = new JsonArraySplitter(new Set(['Records']), 100);
    const out = s.push(Buffer.from(logText([{ big: 'x'.repeat(500) }, { small: 1 }])));
    expect(out.map((o) => o.text)).toEqual([undefined, '{"small":1}']);
  });
});

describe('line splitter', () => {
  it('numbers lines across chunks, strips CR and keeps a last line without newline', () => {
    const s = new LineSplitter();
    const lines = [...s.push(Buffer.from('a\r\nb')), ...s.push(Buffer.from('c\n\nd')), ...s.end()];
    expect(lines).toEqual([
      { no: 1, text: 'a', utf8: true },
      { no: 2, text: 'bc', utf8: true },
      { no: 3, text: '', utf8: true },
      { no: 4, text: 'd', utf8: true },
    ]);
  });
});

describe('format detection from content', () => {
  const b = (s: string) => Buffer.from(s);
  it('tells every format apart without a file name', () => {
    expect(detectFormat(b(logText([ctRecord(1)]))).format).toBe('cloudtrail');
    expect(detectFormat(b(JSON.stringify({ Records: [ctRecord(1)] }, null, 4))).format).toBe('cloudtrail');
    expect(detectFormat(readFileSync(join(FIXTURES, 'lookup-events.json'))).format).toBe('lookup-events');
    expect(detectFormat(readFileSync(join(FIXTURES, 'k8s-audit.log'))).format).toBe('k8s-audit');
    expect(detectFormat(readFileSync(join(FIXTURES, 'falco.json'))).format).toBe('falco');
    expect(detectFormat(b(`${JSON.stringify(ctRecord(1))}\n${JSON.stringify(ctRecord(2))}\n`)).format).toBe(
      'cloudtrail-lines',
    );
    expect(
      detectFormat(b(JSON.stringify({ awsAccountId: '1', digestPublicKeyFingerprint: 'ab', logFiles: [] }))).format,
    ).toBe('cloudtrail-digest');
    expect(detectFormat(b('   \n')).format).toBe('empty');
    expect(detectFormat(b('hello')).format).toBe('unknown');
    expect(detectFormat(b('{"foo":1}')).format).toBe('unknown');
  });

  it('still recognises an audit log whose first line is broken', () => {
    const audit = readFileSync(join(FIXTURES, 'k8s-audit.log'), 'utf8');
    expect(detectFormat(b(`{"kind":"Event","apiVer\n${audit}`)).format).toBe('k8s-audit');
  });
});

describe('Kubernetes audit event → IncidentEvent', () => {
  const lines = readFileSync(join(FIXTURES, 'k8s-audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
  const ok = (i: number) => {
    const r = normaliseAuditEvent(lines[i], NOW);
    if (!r.ok) throw new Error(r.reason);
    return r;
  };

  it('reads an exec as verb + subresource on the pod path', () => {
    const r = ok(2);
    expect(r.stage).toBe('ResponseComplete');
    expect(r.event).toMatchObject({
      source: 'k8s-audit',
      id: '7c1f3e2a-0001-4b1e-9a10-000000000001',
      eventTime: '2026-04-20T14:31:05.120Z',
      actor: 'system:serviceaccount:payments:deployer',
      action: 'create exec',
      targets: ['namespaces/payments/pods/api-7d9f/exec'],
      namespace: 'payments',
      sourceIp: '203.0.113.45',
      userAgent: 'kubectl/v1.30.2 (linux/amd64) kubernetes/3968350',
      outcome: 'success',
    });
  });

  it('marks a 403 as a failure with the reason, on a cluster-scoped path', () => {
    expect(ok(1).event).toMatchObject({
      action: 'create',
      targets: ['clusterrolebindings/backdoor-admin'],
      outcome: 'failure',
      errorCode: 'Forbidden',
    });
  });

  it('notes impersonation in the targets', () => {
    expect(ok(3).event).toMatchObject({
      actor: 'alice@example.com',
      targets: ['namespaces/payments/secrets/db-creds', 'impersonated:system:admin'],
    });
  });

  it('reads v1beta1', () => {
    expect(ok(4).event).toMatchObject({
      action: 'list',
      targets: ['namespaces/kube-system/configmaps'],
      eventTime: '2026-04-20T14:34:00.000Z',
    });
  });

  it('refuses the wrong shape with a reason', () => {
    const r = normaliseAuditEvent({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', verb: 'get' }, NOW);
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/auditID/) });
  });
});

describe('Falco alert → IncidentEvent', () => {
  const [l1, l2] = readFileSync(join(FIXTURES, 'falco.json'), 'utf8').trim().split('\n') as [string, string];
  it('takes rule as action, user or pod as actor, and a deterministic id', () => {
    const a = normaliseFalcoLine(l1, JSON.parse(l1), NOW);
    const again = normaliseFalcoLine(l1, JSON.parse(l1), '2030-01-01T00:00:00.000Z');
    const b = normaliseFalcoLine(l2, JSON.parse(l2), NOW);
    if (!a.ok || !b.ok || !again.ok) throw new Error('refused');
    expect(a.event).toMatchObject({
      source: 'falco',
      action: 'Terminal shell in container',
      actor: 'root',
      eventTime: '2026-04-20T14:31:07.412Z',
      namespace: 'payments',
      targets: ['namespaces/payments/pods/api-7d9f', 'container/4f2a9c1b7e3d', 'host/ip-10-0-1-23'],
    });
    expect(a.event.id).toMatch(/^[0-9a-f]{64}$/);
    expect(again.event.id).toBe(a.event.id);
    expect(b.event.actor).toBe('payments/api-7d9f');
  });
});

describe('readInputFile', () => {
  const dir = tempDir('fb-read-');
  async function read(file: string): Promise<{ items: ReadItem[]; stats: FileStats }> {
    const stats: FileStats = { file, format: undefined, records: 0, sha256: undefined };
    const items: ReadItem[] = [];
    for await (const it of readInputFile(file, stats, { discoveredAt: NOW, hash: true })) items.push(it);
    return { items, stats };
  }

  it('gunzips by magic bytes, whatever the name, and hashes the uncompressed bytes', async () => {
    const { writeFileSync } = await import('node:fs');
    const { createHash } = await import('node:crypto');
    const text = logText([ctRecord(1), ctRecord(2)]);
    const f = join(dir, 'renamed.txt');
    writeFileSync(f, gzipSync(text));
    const { items, stats } = await read(f);
    expect(items.filter((i) => i.type === 'event')).toHaveLength(2);
    expect(stats).toMatchObject({
      format: 'cloudtrail',
      records: 2,
      sha256: createHash('sha256').update(text).digest('hex'),
    });
  });

  it('reads lookup-events output through the CloudTrailEvent string', async () => {
    const { items } = await read(join(FIXTURES, 'lookup-events.json'));
    expect(items.map((i) => (i.type === 'event' ? i.event.action : i.type))).toEqual([
      'CreateAccessKey',
      'StopLogging',
    ]);
  });
});
