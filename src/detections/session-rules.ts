// CloudTrail rules on STS sessions: a role assumed again after its sessions were revoked (the
// source credential still works, so revoking the role's sessions did not contain it), and a role
// session that assumes a role (role chaining: each hop hides the original caller one step further).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles.html#iam-term-role-chaining
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html

import { BoundedMap } from '../domain/bounded-map.js';
import type { IncidentEvent } from '../domain/event.js';
import { onCall } from './cloudtrail-rules.js';
import { cloudTrailView, param, shortPrincipal } from './cloudtrail-view.js';
import { at, clip, isPrivateIp, isPublicIp, str } from './read.js';
import type { Rule, RuleHit } from './types.js';

/**
 * Inline policies that revoke a role's older sessions: the console's "Revoke active sessions" and
 * firebreak's own deny-all (src/actions/aws/iam/policies.ts names both; the names are AWS's and
 * this project's, so they are data here, not an import of the product's action code).
 */
const REVOKING_POLICIES = new Set(['AWSRevokeOlderSessions', 'firebreak-deny-all']);
const MAX_ROLES = 5_000;

/** `arn:aws:iam::123456789012:role/path/name` → `name` (PutRolePolicy names the role only). */
function roleName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export const roleReassumed: Rule = {
  id: 'cloudtrail.role-reassumed',
  title: 'Role assumed again after its sessions were revoked',
  severity: 1,
  why: "A role's older sessions were revoked (AWSRevokeOlderSessions or a deny-all inline policy), and a caller then assumed the role again, successfully: the credential that minted the first session still works, so revoking sessions alone contained nothing.",
  runbook:
    'credentials-leak: deactivate the source access key (UpdateAccessKey Inactive keeps it for the investigation) or deny the caller in the role trust policy, then revoke the sessions again',
  createMatcher() {
    // Role name → when its sessions were revoked, by the event's own clock.
    const revoked = new BoundedMap<string, number>(MAX_ROLES);
    return (e: IncidentEvent): RuleHit | false => {
      const v = cloudTrailView(e);
      if (!v || v.failed) return false;
      const when = Date.parse(e.eventTime);
      if (v.eventSource === 'iam.amazonaws.com' && v.eventName === 'PutRolePolicy') {
        const role = str(at(v.params, 'roleName'));
        const policy = str(at(v.params, 'policyName'));
        if (role && policy && REVOKING_POLICIES.has(policy) && Number.isFinite(when)) {
          revoked.set(role, when);
        }
        return false;
      }
      if (v.eventSource !== 'sts.amazonaws.com' || v.eventName !== 'AssumeRole') return false;
      const arn = str(at(v.params, 'roleArn'));
      const since = arn ? revoked.get(roleName(arn)) : undefined;
      if (since === undefined || !(when >= since)) return false;
      const ip = v.sourceIp ?? 'an unknown address';
      return {
        title: `Role ${shortPrincipal(arn!)} assumed again after its sessions were revoked, by ${shortPrincipal(v.principal)} from ${ip}`,
        why: `${clip(v.principal, 200)} assumed ${clip(arn!, 200)} from ${ip} ${Math.round((when - since) / 60_000)} min after the role's older sessions were revoked: the credential behind the call is not contained.`,
      };
    };
  },
};

export const roleChained = onCall(
  {
    id: 'cloudtrail.role-chained',
    title: 'Role assumed from a role session (role chaining)',
    // Routine in cross-account pipelines: context for the timeline, not an alarm.
    severity: 3,
    why: 'A caller already holding a role session used it to assume a role: routine for some cross-account pipelines, and the way stolen session credentials are turned into fresh ones (or into another role) that outlive revoking the first session.',
    runbook:
      'credentials-leak: revoke the sessions of both roles (AWSRevokeOlderSessions) and trace the first session back to its source key',
  },
  'sts.amazonaws.com',
  ['AssumeRole'],
  (v) => {
    if (v.identityType !== 'AssumedRole') return false;
    const issuer = at(v.raw, 'userIdentity', 'sessionContext', 'sessionIssuer');
    const from = at(issuer, 'type') === 'Role' ? str(at(issuer, 'arn')) : undefined;
    if (!from) return false;
    // A service chaining on the caller's behalf logs its own name here, not an address.
    if (!v.sourceIp || !(isPublicIp(v.sourceIp) || isPrivateIp(v.sourceIp))) return false;
    const to = param(v, 'roleArn') ?? 'a role';
    const same = str(at(v.params, 'roleArn')) === from;
    return {
      title: `Role ${shortPrincipal(to)} ${same ? 're-assumed from its own session' : 'assumed from a role session'} at ${v.sourceIp}`,
    };
  },
);

export const SESSION_RULES: readonly Rule[] = [roleReassumed, roleChained];
