import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatImportSummary, importExitCode, runImport } from '../../../app/commands/import.js';
import { keyFingerprint, loadPublicKeys, stringToSign, type DigestFile } from '../../../src/sources/files/digest.js';
import { tempDir } from '../../helpers/tmp.js';
import { ACCOUNT, ctRecord, logKey, makeJournal, writeLog } from './helpers.js';

const BUCKET = 'org-trail-logs';
const now = () => new Date('2026-04-20T15:00:00.000Z');
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

function digestKey(hour: number): string {
  const stamp = `20260420T${String(hour).padStart(2, '0')}3000Z`;
  return `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2026/04/20/${ACCOUNT}_CloudTrail-Digest_us-east-1_org-trail_us-east-1_${stamp}.json.gz`;
}

interface Built {
  root: string;
  logs: string[];
  digests: string[];
}

/**
 * Three hourly digests over three log files, chained and signed the way CloudTrail does it
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html):
 * each digest carries the previous one's hash and signature.
 */
function buildTrail(root: string, o: { badSignatureOn?: number; signer?: KeyObject } = {}): Built {
  const logs: string[] = [];
  const digests: string[] = [];
  let prev: { key: string; sha256: string; signature: string } | undefined;
  for (let h = 0; h < 3; h++) {
    const key = logKey('us-east-1', `20260420T1${h}25Z`, `UNIQUE${h}ABCDEFGHIJ`);
    const file = join(root, key);
    const hash = writeLog(file, [ctRecord(h * 10), ctRecord(h * 10 + 1)]);
    logs.push(file);
    const dKey = digestKey(10 + h);
    const doc = {
      awsAccountId: ACCOUNT,
      digestStartTime: `2026-04-20T${String(9 + h).padStart(2, '0')}:30:00Z`,
      digestEndTime: `2026-04-20T${10 + h}:30:00Z`,
      digestS3Bucket: BUCKET,
      digestS3Object: dKey,
      digestPublicKeyFingerprint: keyFingerprint(publicKey),
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: '2026-04-20T10:00:00Z',
      oldestEventTime: '2026-04-20T09:00:00Z',
      previousDigestS3Bucket: prev ? BUCKET : null,
      previousDigestS3Object: prev?.key ?? null,
      previousDigestHashValue: prev?.sha256 ?? null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null,
      previousDigestSignature: prev?.signature ?? null,
      logFiles: [
        {
          s3Bucket: BUCKET,
          s3Object: key,
          hashValue: hash,
          hashAlgorithm: 'SHA-256',
          newestEventTime: '2026-04-20T10:00:00Z',
          oldestEventTime: '2026-04-20T09:00:00Z',
        },
      ],
    };
    const text = JSON.stringify(doc);
    const sha256 = createHash('sha256').update(text).digest('hex');
    const d: DigestFile = { path: '', sha256, doc };
    const signer = o.badSignatureOn === h ? other.privateKey : (o.signer ?? privateKey);
    const signature = sign('sha256', Buffer.from(stringToSign(d)), signer).toString('hex');
    const dFile = join(root, dKey);
    mkdirSync(dirname(dFile), { recursive: true });
    writeFileSync(dFile, gzipSync(text));
    digests.push(dFile);
    prev = { key: dKey, sha256, signature };
  }
  return { root, logs, digests };
}

function pem(dir: string, key: KeyObject = publicKey): string {
  const f = join(dir, 'cloudtrail-us-east-1.pem');
  writeFileSync(f, key.export({ type: 'spki', format: 'pem' }));
  return f;
}

const digestDir = (b: Built) => join(b.root, 'AWSLogs', ACCOUNT, 'CloudTrail-Digest');

describe('CloudTrail digest validation', () => {
  it('validates an intact chain: hashes, links and signatures; the newest digest is reported unsigned', async () => {
    const dir = tempDir('fb-dig-');
    const journal = await makeJournal(dir);
    const b = buildTrail(join(dir, 'ev'));
    const s = await runImport([b.root], { journal, now, digests: [digestDir(b)], publicKeys: [pem(dir)] });
    expect(s.imported).toBe(6);
    expect(s.digests?.reports.map((r) => [r.ok, r.signature, r.problems])).toEqual([
      [true, 'valid', []],
      [true, 'valid', []],
      [true, 'newest-unsigned', []],
    ]);
    expect(importExitCode(s)).toBe(0);
    const text = formatImportSummary(s);
    expect(text).toContain('digest validation: 3 digests, 3 OK, 0 FAILED; 1 public keys loaded');
    expect(text).toContain('newest digest unsigned (signature is in S3 metadata)');
  });

  it('says signatures were not checked when no key matches, and never calls them valid', async () => {
    const dir = tempDir('fb-dig-');
    const journal = await makeJournal(dir);
    const b = buildTrail(join(dir, 'ev'));
    const s = await runImport([b.root], {
      journal,
      now,
      digests: [digestDir(b)],
      publicKeys: [pem(dir, other.publicKey)],
    });
    expect(s.digests?.reports.map((r) => r.signature)).toEqual(['no-key', 'no-key', 'newest-unsigned']);
    expect(formatImportSummary(s)).toContain('signature not checked (no --public-key with this fingerprint)');
    expect(formatImportSummary(s)).not.toContain('signature valid');
  });

  it('reports a tampered log file as a hash mismatch naming the file', async () => {
    const dir = tempDir('fb-dig-');
    const journal = await makeJournal(dir);
    const b = buildTrail(join(dir, 'ev'));
    // The attacker deletes their record from the middle file and re-compresses it.
    writeLog(b.logs[1]!, [ctRecord(10)]);
    const s = await runImport([b.root], { journal, now, digests: [digestDir(b)], publicKeys: [pem(dir)] });
    const r = s.digests!.reports;
    expect(r[1]).toMatchObject({ ok: false, problems: [`hash mismatch: ${b.logs[1]}`] });
    expect(r[0]!.ok && r[2]!.ok).toBe(true);
    expect(importExitCode(s)).toBe(1);
    expect(formatImportSummary(s)).toMatch(/FAILED .*hash mismatch/);
  });

  it('reports a removed digest as a chain break, and a log the digest lists but the import lacks as missing', async () => {
    const dir = tempDir('fb-dig-');
    const journal = await makeJournal(dir);
    const b = buildTrail(join(dir, 'ev'));
    rmSync(b.digests[1]!);
    rmSync(b.logs[0]!);
    const s = await runImport([b.root], { journal, now, digests: [digestDir(b)], publicKeys: [pem(dir)] });
    const r = s.digests!.reports;
    expect(r).toHaveLength(2);
    expect(r[0]).toMatchObject({
      ok: false,
      signature: 'no-successor',
      problems: [expect.stringMatching(/^missing file: AWSLogs\/.*UNIQUE0ABCDEFGHIJ\.json\.gz$/)],
    });
    expect(r[1]).toMatchObject({ ok: false, problems: [`chain break: previous digest ${digestKey(11)} not found`] });
  });

  it('reports a wrong signature as invalid', async () => {
    const dir = tempDir('fb-dig-');
    const journal = await makeJournal(dir);
    const b = buildTrail(join(dir, 'ev'), { badSignatureOn: 0 });
    const s = await runImport([b.root], { journal, now, digests: [digestDir(b)], publicKeys: [pem(dir)] });
    expect(s.digests!.reports.map((r) => [r.signature, r.problems])).toEqual([
      ['invalid', ['signature invalid']],
      ['valid', []],
      ['newest-unsigned', []],
    ]);
    expect(importExitCode(s)).toBe(1);
  });

  it('reports a digest edited after the fact as a chain break at its successor', async () => {
    const dir = tempDir('fb-dig-');
    const journal = await makeJournal(dir);
    const b = buildTrail(join(dir, 'ev'));
    // Re-written digest 0 that drops its log file entry: the successor's hash no longer matches.
    writeFileSync(
      b.digests[0]!,
      gzipSync(
        JSON.stringify({
          ...(JSON.parse(gunzipSync(readFileSync(b.digests[0]!)).toString('utf8')) as object),
          logFiles: [],
        }),
      ),
    );
    const s = await runImport([b.root], { journal, now, digests: [digestDir(b)], publicKeys: [pem(dir)] });
    const r = s.digests!.reports;
    expect(r[0]!.signature).toBe('invalid');
    expect(r[1]!.problems).toEqual([expect.stringMatching(/^chain break: .* does not match previousDigestHashValue$/)]);
  });

  it('loads public keys as PEM, DER (PKCS#1) and list-public-keys JSON', async () => {
    const dir = tempDir('fb-dig-');
    const der = publicKey.export({ type: 'pkcs1', format: 'der' });
    writeFileSync(join(dir, 'k.der'), der);
    writeFileSync(
      join(dir, 'keys.json'),
      JSON.stringify({
        PublicKeyList: [
          {
            Value: der.toString('base64'),
            ValidityStartTime: 1,
            ValidityEndTime: 2,
            Fingerprint: 'ABCDEF0123456789ABCDEF0123456789',
          },
        ],
      }),
    );
    const fp = keyFingerprint(publicKey);
    expect((await loadPublicKeys(pem(dir)))[0]!.fingerprints).toEqual([fp]);
    expect((await loadPublicKeys(join(dir, 'k.der')))[0]!.fingerprints).toEqual([fp]);
    expect((await loadPublicKeys(join(dir, 'keys.json')))[0]!.fingerprints).toEqual([
      fp,
      'abcdef0123456789abcdef0123456789',
    ]);
    writeFileSync(join(dir, 'junk.pem'), 'not a key');
    const journal = await makeJournal(dir);
    await expect(
      runImport([join(dir, 'k.der')], { journal, digests: [dir], publicKeys: [join(dir, 'junk.pem')] }),
    ).rejects.toThrow(/--public-key .*junk\.pem: not a readable RSA public key/);
  });
});
