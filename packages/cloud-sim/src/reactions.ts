// The world reacting to containment: whether a call the drill's scripted attacker makes would
// still work against the simulated IAM as it stands now, and the error the real service returns
// when it would not. Read from the sim's own state (the keys' status, the inline policies the
// team's actions wrote), so an undone containment lets the attacker back in, as it would.
// Errors as AWS returns them: an inactive key fails authentication with InvalidClientTokenId
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html), an explicit
// deny in an identity policy is AccessDenied, and sessions issued before a revoke cut-off are
// denied through aws:TokenIssueTime
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html).

import type { IamModel } from './iam/model.js';

/** Who makes a scripted call, as its CloudTrail userIdentity says. */
export interface ScriptedCall {
  action: string;
  /** The signing key (AKIA… of a user, ASIA… of a session). */
  accessKeyId?: string;
  /** The IAM user, for a user's own calls. */
  userName?: string;
  /** The role, for an assumed-role session's calls. */
  roleName?: string;
  sessionArn?: string;
  /** When the session was issued (sessionContext.attributes.creationDate). */
  sessionIssuedAt?: string;
}

export type Verdict = { ok: true } | { ok: false; errorCode: string; errorMessage: string };

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

const all = (x: string | string[] | undefined): boolean => (Array.isArray(x) ? x.includes('*') : x === '*');

function statements(doc: string): Statement[] {
  try {
    const d = JSON.parse(doc) as { Statement?: Statement | Statement[] };
    return Array.isArray(d.Statement) ? d.Statement : d.Statement ? [d.Statement] : [];
  } catch {
    return [];
  }
}

/** Whether one of `policies` denies everything to a session issued at `issuedAt`. */
function deniesAll(policies: Map<string, string>, issuedAt: string | undefined): boolean {
  for (const doc of policies.values())
    for (const s of statements(doc)) {
      if (s.Effect !== 'Deny' || !all(s.Action) || !all(s.Resource)) continue;
      if (!s.Condition) return true;
      const cutoff = s.Condition.DateLessThan?.['aws:TokenIssueTime'];
      if (cutoff && issuedAt && Date.parse(issuedAt) < Date.parse(cutoff)) return true;
    }
  return false;
}

/**
 * Calls no policy can deny: "No permissions are required to perform this operation. If an
 * administrator attaches a policy to your identity that explicitly denies access to the
 * sts:GetCallerIdentity action, you can still perform this operation"
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html). An inactive
 * key still fails: the request does not authenticate.
 */
const NEVER_DENIED = new Set(['sts:GetCallerIdentity']);

/** The verdict on one scripted AWS call against the IAM as it is now. */
export function judgeAwsCall(iam: IamModel, c: ScriptedCall): Verdict {
  const account = iam.account;
  if (c.userName) {
    const user = iam.users.get(c.userName);
    const key = user?.keys.find((k) => k.id === c.accessKeyId);
    if (key?.status === 'Inactive')
      return {
        ok: false,
        errorCode: 'InvalidClientTokenId',
        errorMessage: 'The security token included in the request is invalid.',
      };
    if (user && deniesAll(user.policies, undefined) && !NEVER_DENIED.has(c.action))
      return {
        ok: false,
        errorCode: 'AccessDenied',
        errorMessage: `User: arn:aws:iam::${account}:user/${user.name} is not authorized to perform: ${c.action} with an explicit deny in an identity-based policy`,
      };
  }
  if (c.roleName) {
    const role = iam.roles.get(c.roleName);
    if (role && deniesAll(role.policies, c.sessionIssuedAt) && !NEVER_DENIED.has(c.action))
      return {
        ok: false,
        errorCode: 'AccessDenied',
        errorMessage: `User: ${c.sessionArn ?? `arn:aws:sts::${account}:assumed-role/${role.name}`} is not authorized to perform: ${c.action} with an explicit deny in an identity-based policy`,
      };
  }
  return { ok: true };
}
