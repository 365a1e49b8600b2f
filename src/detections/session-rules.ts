// CloudTrail rules on STS sessions: a role session that assumes a role again (role chaining).
// Chained sessions last at most an hour, but a caller who keeps chaining keeps its access after
// the first session is revoked, and each hop hides the original caller one step further.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles.html#iam-term-role-chaining
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html

import { onCall } from './cloudtrail-rules.js';
import { param, shortPrincipal } from './cloudtrail-view.js';
import { at, isPrivateIp, isPublicIp, str } from './read.js';
import type { Rule } from './types.js';

export const roleReassumed = onCall(
  {
    id: 'cloudtrail.role-reassumed',
    title: 'Role assumed from a role session (role chaining)',
    severity: 2,
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

export const SESSION_RULES: readonly Rule[] = [roleReassumed];
