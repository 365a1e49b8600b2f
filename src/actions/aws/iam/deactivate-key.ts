// Deactivate — never delete — a leaked access key, and revoke the sessions made before now
// with it: `UpdateAccessKey Status=Inactive` keeps the key id and its
// GetAccessKeyLastUsed history for the investigation and is reversible; but the STS sessions made
// with the key (GetSessionToken) live on, so the key's user also gets `AWSRevokeOlderSessions`.
// Temporary keys (ASIA…) belong to a role session and cannot be deactivated: deny the role instead.
// https://docs.aws.amazon.com/cli/latest/reference/iam/update-access-key.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access.html

import {
  GetAccessKeyLastUsedCommand,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
  type StatusType,
} from '@aws-sdk/client-iam';
import { keepPrevious } from '../../call-context.js';
import { ActionError, awsRequestId } from '../../errors.js';
import type { ActionEnv, ActionPlan, ExecuteResult, Target } from '../../types.js';
import { IAM_CONSISTENCY, ROOT_CAVEAT, iamOf, isTemporaryKey } from './iam-env.js';
import { applyPolicies, readBack, simulatePolicies, userPolicies, policyState } from './inline.js';
import { REVOKE_SESSIONS_POLICY, cutoffAt, revokeSessionsDocument } from './policies.js';

import { TEMPORARY_KEY_REASON } from '../../target-checks.js';
import { z } from 'zod';
import { defineAction } from '../../define.js';
import { actionMeta } from '../../meta.js';
export { TEMPORARY_KEY_REASON };

/** The key's owner and last use (GetAccessKeyLastUsed names the user). */
async function keyOwner(iam: IAMClient, keyId: string) {
  const out = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }));
  if (!out.UserName)
    throw new ActionError(
      `no IAM user owns access key ${keyId} (a root key?): it cannot be handled here`,
      'NoUser',
      'root keys are deactivated by the root user in the console',
      awsRequestId(out),
    );
  return { userName: out.UserName, lastUsed: out.AccessKeyLastUsed, requestIds: awsRequestId(out) };
}

/** The key's current status, from its user's key list. */
export async function keyStatus(iam: IAMClient, userName: string, keyId: string) {
  const out = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  const keys = out.AccessKeyMetadata ?? [];
  const key = keys.find((k) => k.AccessKeyId === keyId);
  if (!key)
    throw new ActionError(
      `access key ${keyId} is not among user ${userName}'s keys`,
      'NoSuchEntity',
      undefined,
      awsRequestId(out),
    );
  return { status: key.Status, keys, requestIds: awsRequestId(out) };
}

/** Sets the key's status unless it already has it; the request ids of the call made, if any. */
export async function setKeyStatus(
  iam: IAMClient,
  userName: string,
  keyId: string,
  status: StatusType,
  /** The status as just read (by a caller that kept it for undo first). */
  read?: Awaited<ReturnType<typeof keyStatus>>,
): Promise<{ changed: boolean; was: StatusType | undefined; requestIds: string[] }> {
  const cur = read ?? (await keyStatus(iam, userName, keyId));
  if (cur.status === status) return { changed: false, was: cur.status, requestIds: cur.requestIds };
  const out = await iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: keyId, Status: status }));
  return { changed: true, was: cur.status, requestIds: [...cur.requestIds, ...awsRequestId(out)] };
}

function lastUseLine(lastUsed: { LastUsedDate?: Date; ServiceName?: string; Region?: string } | undefined): string {
  if (!lastUsed?.LastUsedDate) return 'never used (per GetAccessKeyLastUsed)';
  return `last used ${lastUsed.LastUsedDate.toISOString()} with ${lastUsed.ServiceName ?? '?'} in ${lastUsed.Region ?? '?'}`;
}

/** The key and its user; also what aws.reactivateKey reads back from the journal. */
export const deactivateKeyParams = z.strictObject({
  accessKeyId: z.string().regex(/^AKIA[A-Z0-9]{16}$/),
  userName: z.string().min(1),
  cutoff: z.string().min(1),
  policies: policyState,
});
type DeactivateKeyParams = z.infer<typeof deactivateKeyParams>;

export const deactivateKey = defineAction<DeactivateKeyParams>({
  ...actionMeta('aws.deactivateKey'),
  params: deactivateKeyParams,
  async plan(t: Target, env: ActionEnv): Promise<ActionPlan<DeactivateKeyParams>> {
    const keyId = t.id;
    if (isTemporaryKey(keyId)) throw new ActionError(TEMPORARY_KEY_REASON, 'TemporaryKey');
    const iam = iamOf(env);
    const { userName, lastUsed } = await keyOwner(iam, keyId);
    const { status, keys } = await keyStatus(iam, userName, keyId);
    const cutoff = cutoffAt(env.now());
    const policies = { [REVOKE_SESSIONS_POLICY]: revokeSessionsDocument(cutoff) };
    const others = keys.filter((k) => k.AccessKeyId !== keyId);
    return {
      params: { accessKeyId: keyId, userName, cutoff, policies },
      calls: [
        {
          service: 'iam',
          op: 'ListAccessKeys',
          summary: `read the key's current status (kept for undo)`,
          mutating: false,
        },
        {
          service: 'iam',
          op: 'UpdateAccessKey',
          summary: `UserName=${userName} AccessKeyId=${keyId} Status=Inactive (deactivate, never delete)`,
          mutating: true,
        },
        {
          service: 'iam',
          op: 'PutUserPolicy',
          summary: `UserName=${userName} PolicyName=${REVOKE_SESSIONS_POLICY}: Deny * on * when aws:TokenIssueTime < ${cutoff}`,
          mutating: true,
        },
        {
          service: 'iam',
          op: 'ListAccessKeys / GetUserPolicy',
          summary: 'read back the status and the policy',
          mutating: false,
        },
      ],
      blastRadius: [
        `everything signed with ${keyId} stops working: scripts, CI jobs, applications using it — ${lastUseLine(lastUsed)}`,
        `owner: user ${userName}; the key is ${status ?? 'of unknown status'} now`,
        `every session user ${userName} made before ${cutoff} is revoked — from any key or the console, not only this one`,
        ...(others.length
          ? [
              `the user's other keys stay as they are: ${others.map((k) => `${k.AccessKeyId} (${k.Status})`).join(', ')}`,
            ]
          : []),
      ],
      warnings: [
        IAM_CONSISTENCY,
        'deactivated, not deleted: the key id and its last-used history stay for the investigation, and it can be reactivated',
        `sessions issued after ${cutoff} (with another key of the user) are not hit: deactivate every leaked key`,
        ROOT_CAVEAT,
      ],
      guidance: [
        'preserve CloudTrail first: what the key did is the evidence; then rotate the credentials wherever the key was used legitimately',
      ],
    };
  },
  async dryRun(_t, plan, env) {
    const iam = iamOf(env);
    const keyId = plan.params.accessKeyId;
    const owner = await keyOwner(iam, keyId);
    const cur = await keyStatus(iam, owner.userName, keyId);
    const sim = await simulatePolicies(userPolicies(iam, owner.userName), plan.params.policies);
    const key = cur.status === 'Inactive' ? 'already Inactive' : `${cur.status} → would be Inactive`;
    return {
      kind: 'simulated',
      ok: true,
      message: `simulated (IAM has no dry run): key ${keyId} of user ${owner.userName} ${key}; ${sim.lines.join('; ')}`,
      requestIds: [...owner.requestIds, ...cur.requestIds, ...sim.requestIds],
    };
  },
  async execute(_t, plan, env): Promise<ExecuteResult> {
    const iam = iamOf(env);
    const keyId = plan.params.accessKeyId;
    const userName = plan.params.userName;
    const cur = await keyStatus(iam, userName, keyId);
    const { previousStatus } = await keepPrevious({ previousStatus: cur.status ?? null });
    const k = await setKeyStatus(iam, userName, keyId, 'Inactive', cur);
    const a = await applyPolicies(userPolicies(iam, userName), plan.params.policies);
    const message =
      !k.changed && !a.changed.length
        ? `already applied: key ${keyId} was Inactive and ${REVOKE_SESSIONS_POLICY} in place on user ${userName}`
        : `key ${keyId} ${k.changed ? 'deactivated' : 'was already Inactive'}; ${REVOKE_SESSIONS_POLICY} ${a.changed.length ? 'written' : 'already in place'} on user ${userName}`;
    return {
      requestIds: [...k.requestIds, ...a.requestIds],
      outputs: { previousStatus, previous: a.previous },
      message,
    };
  },
  async verify(_t, plan, env) {
    const iam = iamOf(env);
    const keyId = plan.params.accessKeyId;
    const userName = plan.params.userName;
    const { status } = await keyStatus(iam, userName, keyId);
    const r = await readBack(userPolicies(iam, userName), plan.params.policies);
    const parts = [{ what: `access key ${keyId} Inactive`, inPlace: status === 'Inactive' }, ...r.parts];
    if (status !== 'Inactive')
      return { ok: false, detail: `access key ${keyId} is ${status ?? 'of unknown status'}, not Inactive`, parts };
    return r.ok ? { ok: true, detail: `access key ${keyId} is Inactive; ${r.detail}`, parts } : { ...r, parts };
  },
});
