// Deny-all on a role plus revoking its older sessions: two inline policies,
// `firebreak-deny-all` (Deny * on *: no session of the role, old or new, can do anything) and the
// console's `AWSRevokeOlderSessions` (Deny * on * for tokens issued before the cut-off, which
// survives the deny-all being lifted later). The role's other users are hit too — that is the
// blast radius the plan spells out. Service-linked roles are refused: AWS does not allow it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html

import { GetRoleCommand, ListInstanceProfilesForRoleCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { ActionError, awsRequestId } from '../../errors.js';
import type { ActionEnv, ActionPlan, ExecuteResult, Target } from '../../types.js';
import { IAM_CONSISTENCY, ROOT_CAVEAT, iamOf } from './iam-env.js';
import { applyPolicies, describeChange, readBack, rolePolicies, simulatePolicies, policyState } from './inline.js';
import {
  DENY_ALL_POLICY,
  REVOKE_SESSIONS_POLICY,
  cutoffAt,
  denyAllDocument,
  revokeSessionsDocument,
  trustedPrincipals,
} from './policies.js';
import { z } from 'zod';
import { defineAction } from '../../define.js';
import { actionMeta } from '../../meta.js';

const SERVICE_LINKED = '/aws-service-role/';

/** The role, refused when service-linked (PutRolePolicy would answer UnmodifiableEntity). */
async function readRole(env: ActionEnv, roleName: string) {
  const out = await iamOf(env).send(new GetRoleCommand({ RoleName: roleName }));
  const role = out.Role;
  if (!role)
    throw new ActionError(`GetRole returned no role ${roleName}`, 'NoSuchEntity', undefined, awsRequestId(out));
  if (role.Path?.startsWith(SERVICE_LINKED)) {
    throw new ActionError(
      `role ${roleName} is service-linked (path ${role.Path}): AWS does not allow inline policies on it, so it cannot be denied or have its sessions revoked`,
      'UnmodifiableEntity',
      'contain the principal that misuses the service instead (its user, key or role), or the service resource itself',
      awsRequestId(out),
    );
  }
  return { role, requestIds: awsRequestId(out) };
}

const denyAllRoleParams = z.strictObject({
  roleName: z.string().min(1),
  cutoff: z.string().min(1),
  policies: policyState,
});
type DenyAllRoleParams = z.infer<typeof denyAllRoleParams>;

export const denyAllRole = defineAction<DenyAllRoleParams>({
  ...actionMeta('aws.denyAllRole'),
  params: denyAllRoleParams,
  async plan(t: Target, env: ActionEnv): Promise<ActionPlan<DenyAllRoleParams>> {
    const iam = iamOf(env);
    const roleName = t.id;
    const { role } = await readRole(env, roleName);
    const existing = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
    const profiles =
      (await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: roleName }))).InstanceProfiles ?? [];
    const cutoff = cutoffAt(env.now());
    const policies = { [DENY_ALL_POLICY]: denyAllDocument(), [REVOKE_SESSIONS_POLICY]: revokeSessionsDocument(cutoff) };
    const trusted = trustedPrincipals(role.AssumeRolePolicyDocument);
    const others = existing.filter((n) => !(n in policies));
    const overwritten = existing.filter((n) => n in policies);
    return {
      params: { roleName, cutoff, policies },
      calls: [
        {
          service: 'iam',
          op: 'GetRolePolicy',
          summary: `read the current ${DENY_ALL_POLICY} and ${REVOKE_SESSIONS_POLICY} (kept for undo)`,
          mutating: false,
        },
        {
          service: 'iam',
          op: 'PutRolePolicy',
          summary: `RoleName=${roleName} PolicyName=${DENY_ALL_POLICY}: Deny * on *`,
          mutating: true,
        },
        {
          service: 'iam',
          op: 'PutRolePolicy',
          summary: `RoleName=${roleName} PolicyName=${REVOKE_SESSIONS_POLICY}: Deny * on * when aws:TokenIssueTime < ${cutoff}`,
          mutating: true,
        },
        {
          service: 'iam',
          op: 'GetRolePolicy',
          summary: 'read both back and compare with what was written',
          mutating: false,
        },
      ],
      blastRadius: [
        `every workload using role ${roleName} loses all AWS access: EC2 instances, Lambda functions, ECS tasks, and people or services assuming it`,
        ...(profiles.length
          ? profiles.map((p) => `instance profile ${p.InstanceProfileName}: every EC2 instance launched with it`)
          : ['no instance profile holds this role (no EC2 instance uses it directly)']),
        ...(trusted.length ? [`trusted to assume it: ${trusted.join(', ')}`] : []),
        `sessions issued before ${cutoff} are revoked (cut-off)`,
        ...(overwritten.length
          ? [`overwrites the existing inline policy ${overwritten.join(', ')} (kept for undo)`]
          : []),
        ...(others.length
          ? [`its other inline policies stay (${others.join(', ')}); a Deny overrides every Allow`]
          : []),
      ],
      warnings: [
        IAM_CONSISTENCY,
        `the cut-off is fixed now (${cutoff}): sessions issued after it are not hit by ${REVOKE_SESSIONS_POLICY}, and once the deny-all is lifted the attacker can re-assume the role — fix the trust policy or the credentials that allow assuming it`,
        'sessions from IAM Identity Center permission sets must be revoked in Identity Center',
        ROOT_CAVEAT,
      ],
      guidance: ["preserve CloudTrail first: the role's recent calls are the evidence of what the attacker did"],
    };
  },
  async dryRun(_t, plan, env) {
    const roleName = plan.params.roleName;
    const { requestIds } = await readRole(env, roleName);
    const sim = await simulatePolicies(rolePolicies(iamOf(env), roleName), plan.params.policies);
    return {
      kind: 'simulated',
      ok: true,
      message: `simulated (IAM has no dry run): role ${roleName} exists and is not service-linked; ${sim.lines.join('; ')}`,
      requestIds: [...requestIds, ...sim.requestIds],
    };
  },
  async execute(_t, plan, env): Promise<ExecuteResult> {
    const p = rolePolicies(iamOf(env), plan.params.roleName);
    const a = await applyPolicies(p, plan.params.policies);
    return {
      requestIds: a.requestIds,
      outputs: { previous: a.previous, changed: a.changed },
      message: describeChange(a, p),
    };
  },
  async verify(_t, plan, env) {
    return readBack(rolePolicies(iamOf(env), plan.params.roleName), plan.params.policies);
  },
});
