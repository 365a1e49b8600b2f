// Contain a public bucket: turn on all four S3 Block Public Access settings for it (ACLs ignored
// and refused, public policies refused and restricted). First its policy, ACL and public access
// block are captured into a hashed evidence file (how it was public). The configuration it had
// before is kept — in the plan, as the responder saw it, and in the execute's outputs, as it was
// right before the change — so the undo (aws.restorePublicAccess) puts back exactly that, or
// deletes the block when the bucket had none. Nothing else about the bucket is changed: its
// policy and ACL stay as they are, for the investigation.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

import { join } from 'node:path';
import { z } from 'zod';
import { defineAction } from '../../define.js';
import { fileSafe, writeEvidenceLines } from '../../evidence/files.js';
import { ActionError } from '../../errors.js';
import { actionMeta } from '../../meta.js';
import { BUCKET_NAME } from '../../target-checks.js';
import type { ActionEnv, ActionPlan, EvidenceArtifact, ExecuteResult, Target } from '../../types.js';
import {
  FULL_BLOCK,
  describeBucketAccess,
  describePublicAccess,
  publicAccessBlock,
  publicAccessState,
  type PublicAccessState,
  readBucketAccess,
  readPublicAccess,
  s3Of,
  samePublicAccess,
  writePublicAccess,
} from './public-access-block.js';

export const blockPublicAccessParams = z.strictObject({
  bucket: z.string().regex(BUCKET_NAME),
  /** What PutPublicAccessBlock sends: all four flags true. */
  configuration: publicAccessBlock,
  /** The configuration when the plan was made (null: none): the undo's fallback when the execute left no outputs. */
  observed: publicAccessState,
});
type BlockPublicAccessParams = z.infer<typeof blockPublicAccessParams>;

export const blockPublicAccess = defineAction<BlockPublicAccessParams>({
  ...actionMeta('aws.blockPublicAccess'),
  params: blockPublicAccessParams,
  async plan(t: Target, env: ActionEnv): Promise<ActionPlan<BlockPublicAccessParams>> {
    const bucket = t.id;
    if (!BUCKET_NAME.test(bucket)) throw new ActionError(`${bucket} is not an S3 bucket name`, 'InvalidTarget');
    const s3 = s3Of(env);
    const { state } = await readPublicAccess(s3, bucket);
    const access = await readBucketAccess(s3, bucket);
    return {
      params: { bucket, configuration: { ...FULL_BLOCK }, observed: state },
      calls: [
        {
          service: 's3',
          op: 'GetBucketPolicy / GetBucketAcl / GetPublicAccessBlock',
          summary: `Bucket=${bucket}: capture the policy, ACL and public access block into an evidence file (kept for undo)`,
          mutating: false,
        },
        {
          service: 's3',
          op: 'PutPublicAccessBlock',
          summary: `Bucket=${bucket} ${describePublicAccess(FULL_BLOCK)}`,
          mutating: true,
        },
        { service: 's3', op: 'GetPublicAccessBlock', summary: 'read back all four settings', mutating: false },
      ],
      blastRadius: [
        `bucket ${bucket} now: ${describePublicAccess(state)}; ${describeBucketAccess(access).join('; ')}`,
        'anonymous and cross-account public access stops: ACLs granting AllUsers / AuthenticatedUsers are ignored, and a public bucket policy only lets AWS services and principals of this account in',
        'whatever relied on the public access breaks: a static website, public downloads, a partner reading by URL',
        'new public ACLs and public bucket policies are refused (PutBucketAcl / PutBucketPolicy fail with AccessDenied)',
      ],
      warnings: [
        'the bucket policy and ACLs are left as they are (evidence): the block overrides them, it does not remove them',
        'objects already downloaded or presigned URLs already used are not recalled; presigned URLs of this account keep working until they expire',
        'an account-level Block Public Access setting, if any, still applies on top of this one',
      ],
      guidance: [
        'look at the S3 data events (GetObject by anonymous or unknown principals) for what was read while it was public',
      ],
    };
  },
  async dryRun(_t, plan, env) {
    const { bucket, configuration } = plan.params;
    const cur = await readPublicAccess(s3Of(env), bucket);
    const change = samePublicAccess(cur.state, configuration)
      ? 'already fully blocked'
      : `${describePublicAccess(cur.state)} → would be ${describePublicAccess(configuration)}`;
    return {
      kind: 'simulated',
      ok: true,
      message: `simulated (S3 has no dry run): bucket ${bucket} ${change}`,
      requestIds: cur.requestIds,
    };
  },
  async execute(_t, plan, env, token): Promise<ExecuteResult> {
    const s3 = s3Of(env);
    const { bucket, configuration } = plan.params;
    // Read right before the change: what the undo restores is the state this call replaced.
    const before = await readPublicAccess(s3, bucket);
    const access = await readBucketAccess(s3, bucket);
    const evidence = await captureEvidence(env, token, bucket, before.state, access);
    const requestIds = [...before.requestIds, ...access.requestIds];
    const outputs = { previous: before.state, evidence: evidence.path };
    if (samePublicAccess(before.state, configuration))
      return {
        requestIds,
        outputs,
        message: `already applied: bucket ${bucket} had all four Block Public Access settings on`,
        evidence: [evidence],
      };
    const ids = await writePublicAccess(s3, bucket, configuration);
    return {
      requestIds: [...requestIds, ...ids],
      outputs,
      message: `bucket ${bucket}: public access blocked (was: ${describePublicAccess(before.state)}); policy, ACL and previous block captured`,
      evidence: [evidence],
    };
  },
  async verify(_t, plan, env) {
    const { bucket, configuration } = plan.params;
    const { state } = await readPublicAccess(s3Of(env), bucket);
    return samePublicAccess(state, configuration)
      ? { ok: true, detail: `bucket ${bucket}: ${describePublicAccess(state)}` }
      : { ok: false, detail: `bucket ${bucket} has ${describePublicAccess(state)}, not all four on` };
  },
});

/** The bucket's access configuration before the change, as one hashed JSON evidence file (never overwritten). */
async function captureEvidence(
  env: ActionEnv,
  token: string,
  bucket: string,
  publicAccessBlock: PublicAccessState,
  access: Awaited<ReturnType<typeof readBucketAccess>>,
): Promise<EvidenceArtifact> {
  const path = join(env.evidenceDir, `s3-${fileSafe(bucket)}`, `${fileSafe(token)}-access.json`);
  const record = {
    bucket,
    capturedAt: env.now().toISOString(),
    publicAccessBlock,
    policy: access.policy,
    acl: access.acl,
    requestIds: access.requestIds,
  };
  const d = await writeEvidenceLines(path, [JSON.stringify(record)]);
  return {
    path,
    sha256: d.sha256,
    size: d.size,
    source: `s3 bucket ${bucket}: GetBucketPolicy, GetBucketAcl, GetPublicAccessBlock`,
    description: `bucket ${bucket}'s policy, ACL and public access block before firebreak blocked public access`,
  };
}
