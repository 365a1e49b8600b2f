// CloudTrail log file integrity validation, offline (after aws-cli's
// customizations/cloudtrail/validation.py): each digest lists the SHA-256 of its UNCOMPRESSED log
// files, the SHA-256 of the previous digest's uncompressed bytes, and the previous digest's
// signature. A digest's own signature lives in S3 object metadata, so the newest digest of a
// chain cannot be verified from files alone; each older one is verified through its successor.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html
// https://github.com/aws/aws-cli/blob/develop/awscli/customizations/cloudtrail/validation.py

import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

const digestSchema = z.looseObject({
  digestEndTime: z.string(),
  digestS3Bucket: z.string(),
  digestS3Object: z.string(),
  digestPublicKeyFingerprint: z.string().nullish(),
  digestSignatureAlgorithm: z.string().nullish(),
  previousDigestS3Bucket: z.string().nullish(),
  previousDigestS3Object: z.string().nullish(),
  previousDigestHashValue: z.string().nullish(),
  previousDigestSignature: z.string().nullish(),
  logFiles: z.array(z.looseObject({ s3Bucket: z.string().optional(), s3Object: z.string(), hashValue: z.string() })),
});

export type DigestDoc = z.infer<typeof digestSchema>;

export interface DigestFile {
  path: string;
  /** Hex SHA-256 of the uncompressed digest. */
  sha256: string;
  doc: DigestDoc;
}

export interface PublicKeyEntry {
  fingerprints: string[];
  key: KeyObject;
  source: string;
}

export type SignatureVerdict = 'valid' | 'invalid' | 'newest-unsigned' | 'no-successor' | 'no-key';

export interface DigestReport {
  path: string;
  digestEndTime: string;
  ok: boolean;
  /** Each a failure: "hash mismatch: FILE", "missing file: KEY", "chain break: …", "signature invalid". */
  problems: string[];
  signature: SignatureVerdict;
  filesChecked: number;
}

function gunzipIfNeeded(b: Buffer): Buffer {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b;
}

/** Reads one digest file; a broken one is reported, not thrown. */
export async function loadDigest(
  path: string,
): Promise<{ ok: true; digest: DigestFile } | { ok: false; reason: string }> {
  let bytes: Buffer;
  try {
    bytes = gunzipIfNeeded(await readFile(path));
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return { ok: false, reason: `bad JSON: ${(e as Error).message}` };
  }
  const r = digestSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { ok: false, reason: `not a CloudTrail digest: ${i.path.join('.') || 'digest'}: ${i.message}` };
  }
  return { ok: true, digest: { path, sha256: createHash('sha256').update(bytes).digest('hex'), doc: r.data } };
}

/**
 * Fingerprint of a CloudTrail public key as we compute it: hex MD5 of the DER PKCS#1 key.
 * ASSUMPTION (not confirmed against AWS docs): the ListPublicKeys output carries the real
 * Fingerprint, so prefer a saved `aws cloudtrail list-public-keys` JSON, or name a PEM/DER file
 * after its fingerprint (`<hex>.pem`).
 */
export function keyFingerprint(key: KeyObject): string {
  return createHash('md5')
    .update(key.export({ type: 'pkcs1', format: 'der' }))
    .digest('hex');
}

/** PEM (PKCS#1 or SPKI), DER (PKCS#1 or SPKI), or `aws cloudtrail list-public-keys` JSON. Throws on garbage. */
export async function loadPublicKeys(file: string): Promise<PublicKeyEntry[]> {
  const bytes = await readFile(file);
  const text = bytes.toString('utf8').trimStart();
  const stem = /^([0-9a-f]{32,64})\./i.exec(basename(file))?.[1]?.toLowerCase();
  const entry = (key: KeyObject, extra?: string): PublicKeyEntry => ({
    key,
    source: file,
    fingerprints: [...new Set([keyFingerprint(key), ...(stem ? [stem] : []), ...(extra ? [extra.toLowerCase()] : [])])],
  });
  if (text.startsWith('{')) {
    const list = (JSON.parse(text) as { PublicKeyList?: { Value?: string; Fingerprint?: string }[] }).PublicKeyList;
    if (!Array.isArray(list))
      throw new Error(`${file}: JSON without a PublicKeyList (expected "aws cloudtrail list-public-keys" output)`);
    return list
      .filter((k) => typeof k.Value === 'string')
      .map((k) =>
        entry(createPublicKey({ key: Buffer.from(k.Value!, 'base64'), format: 'der', type: 'pkcs1' }), k.Fingerprint),
      );
  }
  if (text.startsWith('-----BEGIN')) return [entry(createPublicKey(text))];
  try {
    return [entry(createPublicKey({ key: bytes, format: 'der', type: 'pkcs1' }))];
  } catch {
    return [entry(createPublicKey({ key: bytes, format: 'der', type: 'spki' }))];
  }
}

/** The string CloudTrail signs ('null' for a starting digest's previous signature). */
export function stringToSign(d: DigestFile): string {
  const doc = d.doc;
  return `${doc.digestEndTime}\n${doc.digestS3Bucket}/${doc.digestS3Object}\n${d.sha256}\n${doc.previousDigestSignature ?? 'null'}`;
}

export function verifyDigestSignature(d: DigestFile, signatureHex: string, key: KeyObject): boolean {
  if (!/^[0-9a-f]+$/i.test(signatureHex) || signatureHex.length % 2 !== 0) return false;
  try {
    return verify('sha256', Buffer.from(stringToSign(d), 'utf8'), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

/** A chain is one trail in one Region: the digest's S3 folder above YYYY/MM/DD plus the trail part of its name. */
function chainOf(d: DigestFile): string {
  const obj = d.doc.digestS3Object;
  const dir = obj.replace(/\/\d{4}\/\d{2}\/\d{2}\/[^/]*$/, '');
  const trail = /_CloudTrail-Digest_[^_]+_(.+)_[^_]+_\d{8}T\d{6}Z/.exec(basename(obj))?.[1] ?? '';
  return `${dir}|${trail}`;
}

export interface LogHash {
  path: string;
  /** Undefined when the file could not be read to the end. */
  sha256: string | undefined;
}

/**
 * Validates every digest against the log files hashed during the import (keyed by file name:
 * offline, S3 keys are rewritten to local paths, and the 16-character unique suffix makes
 * CloudTrail file names unique) and against each other.
 */
export function validateDigests(
  digests: readonly DigestFile[],
  logs: ReadonlyMap<string, LogHash>,
  keys: readonly PublicKeyEntry[],
): DigestReport[] {
  const byName = new Map(digests.map((d) => [basename(d.doc.digestS3Object), d]));
  const successor = new Map<string, DigestFile>();
  for (const d of digests) if (d.doc.previousDigestS3Object) successor.set(basename(d.doc.previousDigestS3Object), d);
  const newest = new Map<string, string>();
  for (const d of digests) {
    const c = chainOf(d);
    const cur = newest.get(c);
    if (cur === undefined || d.doc.digestEndTime > cur) newest.set(c, d.doc.digestEndTime);
  }
  const sorted = [...digests].sort((a, b) =>
    a.doc.digestEndTime < b.doc.digestEndTime ? -1 : a.doc.digestEndTime > b.doc.digestEndTime ? 1 : 0,
  );
  return sorted.map((d) => {
    const problems: string[] = [];
    for (const lf of d.doc.logFiles) {
      const local = logs.get(basename(lf.s3Object));
      if (!local) problems.push(`missing file: ${lf.s3Object}`);
      else if (local.sha256 === undefined) problems.push(`hash mismatch: ${local.path} (could not be read to the end)`);
      else if (local.sha256 !== lf.hashValue.toLowerCase()) problems.push(`hash mismatch: ${local.path}`);
    }
    const prevKey = d.doc.previousDigestS3Object;
    if (prevKey) {
      const prev = byName.get(basename(prevKey));
      if (!prev) problems.push(`chain break: previous digest ${prevKey} not found`);
      else if (prev.sha256 !== (d.doc.previousDigestHashValue ?? '').toLowerCase())
        problems.push(`chain break: previous digest ${prev.path} does not match previousDigestHashValue`);
    }
    let signature: SignatureVerdict;
    const next = successor.get(basename(d.doc.digestS3Object));
    const sig = next?.doc.previousDigestSignature;
    if (!next || !sig) signature = newest.get(chainOf(d)) === d.doc.digestEndTime ? 'newest-unsigned' : 'no-successor';
    else {
      const fp = (d.doc.digestPublicKeyFingerprint ?? '').toLowerCase();
      const key = keys.find((k) => k.fingerprints.includes(fp));
      if (!key) signature = 'no-key';
      else signature = verifyDigestSignature(d, sig, key.key) ? 'valid' : 'invalid';
    }
    if (signature === 'invalid') problems.push('signature invalid');
    return {
      path: d.path,
      digestEndTime: d.doc.digestEndTime,
      ok: problems.length === 0,
      problems,
      signature,
      filesChecked: d.doc.logFiles.length,
    };
  });
}

export function describeSignature(r: DigestReport): string {
  switch (r.signature) {
    case 'valid':
      return 'signature valid';
    case 'invalid':
      return 'signature INVALID';
    case 'newest-unsigned':
      return 'newest digest unsigned (signature is in S3 metadata)';
    case 'no-successor':
      return 'signature not checked (the next digest is not in the set)';
    case 'no-key':
      return 'signature not checked (no --public-key with this fingerprint)';
  }
}
