// Deny-all on an IAM user plus revoking its older sessions: the same two inline policies as on a
// role (deny-all-role.ts), written with PutUserPolicy. Everything signed as the user stops: every
// access key, the console, and the temporary credentials it made with GetSessionToken (which
// outlive a deactivated key: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access.html).

import {
  GetLoginProfileCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListUserPoliciesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { ActionError, awsRequestId } from '../../errors.js';
import type { ActionEnv, ActionPlan, ExecuteResult, Target } from '../../types.js';
import { IAM_CONSISTENCY, ROOT_CAVEAT, iamOf } from './iam-env.js';
import { applyPolicies, describeChange, readBack, simulatePolicies, userPolicies, policyState } from './inline.js';
import {
  DENY_ALL_POLICY,
  REVOKE_SESSIONS_POLICY,
  cutoffAt,
  denyAllDocument,
  revokeSessionsDocument,
} from './policies.js';
import { z } from 'zod';
import { defineAction } from '../../define.js';
import { actionKeyOf, actionMeta } from '../../meta.js';

/** A user ARN's target may carry a path (user/dev/alice): IAM wants the bare name. */
export function userNameOf(t: Target): string {
  return t.id.split('/').pop() ?? t.id;
}

async function hasConsole(env: ActionEnv, userName: string): Promise<boolean> {
  try {
    await iamOf(env).send(new GetLoginProfileCommand({ UserName: userName }));
    return true;
  } catch (e) {
    if (e instanceof NoSuchEntityException) return false;
    throw e;
  }
}

async function readUser(env: ActionEnv, userName: string) {
  const out = await iamOf(env).send(new GetUserCommand({ UserName: userName }));
  if (!out.User)
    throw new ActionError(`GetUser returned no user ${userName}`, 'NoSuchEntity', undefined, awsRequestId(out));
  return { user: out.User, requestIds: awsRequestId(out) };
}

const denyAllUserParams = z.strictObject({
  userName: z.string().min(1),
  cutoff: z.string().min(1),
  policies: policyState,
});
type DenyAllUserParams = z.infer<typeof denyAllUserParams>;

export const denyAllUser = defineAction<DenyAllUserParams>({
  ...actionMeta('aws.denyAllUser'),
  params: denyAllUserParams,
  async plan(t: Target, env: ActionEnv): Promise<ActionPlan<DenyAllUserParams>> {
    const iam = iamOf(env);
    const userName = userNameOf(t);
    await readUser(env, userName);
    const existing = (await iam.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames ?? [];
    const keys = (await iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? [];
    const signIn = await hasConsole(env, userName);
    const cutoff = cutoffAt(env.now());
    const policies = { [DENY_ALL_POLICY]: denyAllDocument(), [REVOKE_SESSIONS_POLICY]: revokeSessionsDocument(cutoff) };
    const overwritten = existing.filter((n) => n in policies);
    const others = existing.filter((n) => !(n in policies));
    return {
      params: { userName, cutoff, policies },
      calls: [
        {
          service: 'iam',
          op: 'GetUserPolicy',
          summary: `read the current ${DENY_ALL_POLICY} and ${REVOKE_SESSIONS_POLICY} (kept for undo)`,
          mutating: false,
        },
        {
          service: 'iam',
          op: 'PutUserPolicy',
          summary: `UserName=${userName} PolicyName=${DENY_ALL_POLICY}: Deny * on *`,
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
          op: 'GetUserPolicy',
          summary: 'read both back and compare with what was written',
          mutating: false,
        },
      ],
      blastRadius: [
        `everything signed as user ${userName} loses all AWS access`,
        ...(keys.length
          ? keys.map((k) => `access key ${k.AccessKeyId} (${k.Status}): every script, job or application using it`)
          : ['the user has no access keys']),
        signIn
          ? 'console sign-in (a password is set): the user can still sign in but can do nothing'
          : 'no console password (no console access)',
        `sessions the user made before ${cutoff} (GetSessionToken, federation) are revoked (cut-off)`,
        ...(overwritten.length
          ? [`overwrites the existing inline policy ${overwritten.join(', ')} (kept for undo)`]
          : []),
        ...(others.length
          ? [`its other inline policies stay (${others.join(', ')}); a Deny overrides every Allow`]
          : []),
      ],
      warnings: [
        IAM_CONSISTENCY,
        `the cut-off is fixed now (${cutoff}): sessions issued after it are not hit by ${REVOKE_SESSIONS_POLICY}; deactivate the leaked keys too (${actionKeyOf('aws.deactivateKey')} on the key), so lifting the deny-all later does not re-open them`,
        'the user keeps its keys and password: this denies, it does not delete (the history stays for the investigation)',
        ROOT_CAVEAT,
      ],
      guidance: ["preserve CloudTrail first: the user's recent calls are the evidence of what the attacker did"],
    };
  },
  async dryRun(_t, plan, env) {
    const userName = plan.params.userName;
    const { requestIds } = await readUser(env, userName);
    const sim = await simulatePolicies(userPolicies(iamOf(env), userName), plan.params.policies);
    return {
      kind: 'simulated',
      ok: true,
      message: `simulated (IAM has no dry run): user ${userName} exists; ${sim.lines.join('; ')}`,
      requestIds: [...requestIds, ...sim.requestIds],
    };
  },
  async execute(_t, plan, env): Promise<ExecuteResult> {
    const p = userPolicies(iamOf(env), plan.params.userName);
    const a = await applyPolicies(p, plan.params.policies);
    return {
      requestIds: a.requestIds,
      outputs: { previous: a.previous, changed: a.changed },
      message: describeChange(a, p),
    };
  },
  async verify(_t, plan, env) {
    return readBack(userPolicies(iamOf(env), plan.params.userName), plan.params.policies);
  },
});
