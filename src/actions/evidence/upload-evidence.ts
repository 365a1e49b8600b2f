// Upload an evidence file to the S3 Object Lock bucket (WORM),
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
//
// The target is the evidence record: id = its evidence id (EV-001), label = its file path. The plan
// reads the file from that path and hashes it, so the SHA-256 the responder confirms is part of the
// params; execute re-hashes and refuses a file that changed since, then sends that hash as
// `x-amz-checksum-sha256` — S3 rejects bytes that differ from it in transit (BadDigest) and keeps
// it with the object, where verify reads it back. An object with Object Lock parameters must carry
// a checksum or Content-MD5 anyway; the SDK sends `x-amz-sdk-checksum-algorithm: SHA256` too.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import {
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { ActionError, awsRequestId } from '../errors.js';
import type { ActionEnv, ActionPlan, AwsClients, DryRunResult, ExecuteResult, Target, VerifyResult } from '../types.js';
import { digestFile, exists } from './files.js';
import { actionMeta } from '../meta.js';
import { z } from 'zod';
import { defineAction } from '../define.js';

const DAY = 86_400_000;

const uploadParams = z.strictObject({
  bucket: z.string().min(1),
  key: z.string().min(1),
  path: z.string().min(1),
  /** Hex, as in the evidence record. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  objectLockMode: z.enum(['COMPLIANCE', 'GOVERNANCE']),
  retentionDays: z.number().int().positive(),
  retainUntil: z.iso.datetime(),
  checksumAlgorithm: z.literal('SHA256'),
});
type Params = z.infer<typeof uploadParams>;

function aws(env: ActionEnv): AwsClients {
  if (!env.aws)
    throw new ActionError('no AWS session', 'NoAwsSession', 'start with firebreak live --profile P --region R');
  return env.aws;
}

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

async function plan(target: Target, env: ActionEnv): Promise<ActionPlan<Params>> {
  const cfg = env.evidenceBucket;
  if (!cfg) {
    throw new ActionError(
      'no evidence bucket is configured',
      'NoEvidenceBucket',
      'start with --evidence-bucket NAME --retention-days N (a bucket created with Object Lock enabled)',
    );
  }
  aws(env);
  const path = resolve(target.label);
  if (!(await exists(path)))
    throw new ActionError(
      `evidence file ${path} (${target.id}) is not there`,
      'NoSuchFile',
      'the evidence record names a file that was moved or deleted: restore it from custody first',
    );
  const d = await digestFile(path);
  const retainUntil = new Date(env.now().getTime() + cfg.retentionDays * DAY).toISOString();
  const key = `${env.incidentId}/${target.id}/${basename(path)}`;
  const params: Params = {
    bucket: cfg.bucket,
    key,
    path,
    sha256: d.sha256,
    size: d.size,
    objectLockMode: cfg.mode,
    retentionDays: cfg.retentionDays,
    retainUntil,
    checksumAlgorithm: 'SHA256',
  };
  const where = `s3://${cfg.bucket}/${key}`;
  return {
    params,
    calls: [
      { service: 's3', op: 'HeadObject', summary: `${where}: already uploaded with this checksum?`, mutating: false },
      {
        service: 's3',
        op: 'PutObject',
        summary: `${where} (${d.size} bytes), ObjectLockMode ${cfg.mode} until ${retainUntil}, x-amz-checksum-sha256 ${b64(d.sha256)}`,
        mutating: true,
      },
      {
        service: 's3',
        op: 'HeadObject + GetObjectRetention',
        summary: 'read back the checksum, lock mode and retain-until date',
        mutating: false,
      },
    ],
    blastRadius: [
      `A new object version ${where}; nothing else changes`,
      `Storage billed until ${retainUntil}: the object cannot be deleted before then`,
    ],
    warnings: [
      cfg.mode === 'COMPLIANCE'
        ? `COMPLIANCE retention cannot be shortened or removed by anyone — the account's root user included — until ${retainUntil}`
        : `GOVERNANCE retention can be lifted by principals with s3:BypassGovernanceRetention`,
      'There is no undo: a locked object version stays until its retention ends',
    ],
  };
}

async function dryRun(_t: Target, p: ActionPlan<Params>, env: ActionEnv): Promise<DryRunResult> {
  const { bucket } = p.params;
  try {
    const out = await aws(env).s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    const c = out.ObjectLockConfiguration;
    const enabled = c?.ObjectLockEnabled === 'Enabled';
    const def = c?.Rule?.DefaultRetention;
    return {
      kind: 'simulated',
      ok: enabled,
      message: enabled
        ? `bucket ${bucket} has Object Lock enabled${def ? ` (default ${def.Mode} ${def.Days ?? def.Years} ${def.Days ? 'days' : 'years'})` : ''}; nothing uploaded`
        : `bucket ${bucket} answers but Object Lock is not enabled: the upload would be refused`,
      requestIds: awsRequestId(out),
    };
  } catch (e) {
    if ((e as { name?: string }).name !== 'ObjectLockConfigurationNotFoundError') throw e;
    return {
      kind: 'simulated',
      ok: false,
      message: `bucket ${bucket} has no Object Lock configuration: PutObject with retention would be refused (InvalidRequest); use a bucket created with Object Lock`,
      requestIds: awsRequestId(e as { $metadata?: { requestId?: string } }),
    };
  }
}

async function head(env: ActionEnv, params: Params, versionId?: string): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await aws(env).s3.send(
      new HeadObjectCommand({
        Bucket: params.bucket,
        Key: params.key,
        ChecksumMode: 'ENABLED',
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
  } catch (e) {
    if ((e as { name?: string }).name === 'NotFound' || (e as { name?: string }).name === 'NoSuchKey') return undefined;
    throw e;
  }
}

function sameRetention(params: Params, mode: string | undefined, until: Date | undefined): boolean {
  // S3 may store the date at second precision: a second's difference is the same retention.
  return mode === params.objectLockMode && !!until && Math.abs(until.getTime() - Date.parse(params.retainUntil)) < 1000;
}

async function execute(target: Target, p: ActionPlan<Params>, env: ActionEnv): Promise<ExecuteResult> {
  const params = p.params;
  const body = await readFile(params.path);
  const sha = createHash('sha256').update(body).digest('hex');
  if (sha !== params.sha256) {
    throw new ActionError(
      `${params.path} changed since the plan (sha256 ${sha}, planned ${params.sha256}): not uploaded`,
      'EvidenceChanged',
      'find out why the evidence file changed (custody!), then re-plan',
    );
  }
  const where = `s3://${params.bucket}/${params.key}`;
  // Already applied (an earlier run that a crash cut short): the same bytes under lock, nothing to do.
  const before = await head(env, params);
  if (before && before.ChecksumSHA256 === b64(params.sha256) && before.ObjectLockMode) {
    return {
      requestIds: awsRequestId(before),
      outputs: {
        bucket: params.bucket,
        key: params.key,
        versionId: before.VersionId ?? null,
        checksumSHA256: before.ChecksumSHA256,
        alreadyPresent: true,
      },
      message: `${target.id} was already in ${where} (version ${before.VersionId ?? 'null'}) with the same checksum, locked ${before.ObjectLockMode}: not uploaded again`,
    };
  }
  const out = await aws(env).s3.send(
    new PutObjectCommand({
      Bucket: params.bucket,
      Key: params.key,
      Body: body,
      ContentType: 'application/octet-stream',
      ObjectLockMode: params.objectLockMode,
      ObjectLockRetainUntilDate: new Date(params.retainUntil),
      ChecksumAlgorithm: params.checksumAlgorithm,
      ChecksumSHA256: b64(params.sha256),
      Metadata: { 'incident-id': env.incidentId, 'evidence-id': target.id, sha256: params.sha256 },
    }),
  );
  return {
    requestIds: awsRequestId(out),
    outputs: {
      bucket: params.bucket,
      key: params.key,
      versionId: out.VersionId ?? null,
      etag: out.ETag ?? null,
      checksumSHA256: out.ChecksumSHA256 ?? null,
      alreadyPresent: false,
    },
    message: `${target.id} uploaded to ${where} (version ${out.VersionId ?? 'null'}), locked ${params.objectLockMode} until ${params.retainUntil}`,
  };
}

async function verify(
  _t: Target,
  p: ActionPlan<Params>,
  env: ActionEnv,
  result: ExecuteResult | undefined,
): Promise<VerifyResult> {
  const params = p.params;
  const versionId = typeof result?.outputs.versionId === 'string' ? result.outputs.versionId : undefined;
  const where = `s3://${params.bucket}/${params.key}${versionId ? ` version ${versionId}` : ''}`;
  const h = await head(env, params, versionId);
  if (!h) return { ok: false, detail: `${where} is not there` };
  const want = b64(params.sha256);
  if (h.ChecksumSHA256 !== want)
    return { ok: false, detail: `${where}: checksum ${h.ChecksumSHA256 ?? 'none'}, expected ${want}` };
  if (h.ContentLength !== params.size)
    return { ok: false, detail: `${where}: ${h.ContentLength} bytes, expected ${params.size}` };
  if (!sameRetention(params, h.ObjectLockMode, h.ObjectLockRetainUntilDate)) {
    return {
      ok: false,
      detail: `${where}: lock ${h.ObjectLockMode ?? 'none'} until ${h.ObjectLockRetainUntilDate?.toISOString() ?? 'never'}, expected ${params.objectLockMode} until ${params.retainUntil}`,
    };
  }
  const r = await aws(env).s3.send(
    new GetObjectRetentionCommand({
      Bucket: params.bucket,
      Key: params.key,
      ...(versionId ? { VersionId: versionId } : {}),
    }),
  );
  if (!sameRetention(params, r.Retention?.Mode, r.Retention?.RetainUntilDate)) {
    return {
      ok: false,
      detail: `${where}: GetObjectRetention says ${r.Retention?.Mode ?? 'none'} until ${r.Retention?.RetainUntilDate?.toISOString() ?? 'never'}, expected ${params.objectLockMode} until ${params.retainUntil}`,
    };
  }
  return {
    ok: true,
    detail: `${where}: sha256 ${params.sha256} and ${params.objectLockMode} retention until ${params.retainUntil} read back`,
  };
}

export const UPLOAD_EVIDENCE = defineAction<Params>({
  ...actionMeta('aws.uploadEvidence'),
  params: uploadParams,
  plan,
  dryRun,
  execute,
  verify,
});
