// CloudTrail rules for the control plane: audit-trail and sensor tampering, root and no-MFA
// sign-ins, IAM persistence and privilege grants, risky network and key changes. A refused call
// (errorCode set) is flagged one level lower than a successful one: the intent still counts, but
// nothing changed. S3 rules are in s3-rules.ts, GuardDuty findings in guardduty-rules.ts.

import type { IncidentEvent } from '../domain/event.js';
import type { SeverityLevel } from '../domain/severity.js';
import { cloudTrailView, outcomeSuffix, param, shortPrincipal, type CloudTrailView } from './cloudtrail-view.js';
import { allowStatements, arr, at, num, oneOrMany, policyDocument, str } from './read.js';
import { lower, type Rule, type RuleHit, type RuleInfo } from './types.js';

type Detail = { severity?: SeverityLevel; title?: string; why?: string } | false | undefined;

/**
 * A rule on one service's calls: matches `names` from `eventSource`, titles the hit with the
 * caller and outcome, and lowers the severity of a failed call. `detail` may refine or veto.
 */
export function onCall(
  info: RuleInfo,
  eventSource: string,
  names: readonly string[],
  detail?: (v: CloudTrailView, e: IncidentEvent) => Detail,
): Rule {
  return {
    ...info,
    match(e): RuleHit | false {
      const v = cloudTrailView(e);
      if (!v || v.eventSource !== eventSource || !names.includes(v.eventName)) return false;
      const d = detail ? detail(v, e) : {};
      if (d === false || d === undefined) return false;
      const base = d.severity ?? info.severity;
      return {
        severity: v.failed ? lower(base) : base,
        title: `${d.title ?? `${info.title}: ${v.eventName}`} by ${shortPrincipal(v.principal)}${outcomeSuffix(v)}`,
        ...(d.why ? { why: d.why } : {}),
      };
    },
  };
}

export const trailTampering = onCall(
  {
    id: 'cloudtrail.trail-tampering',
    title: 'CloudTrail tampering',
    severity: 0,
    why: 'Someone is stopping, deleting or narrowing the audit trail, the record of everything else they do. StopLogging/DeleteTrail succeeded = Sev0; UpdateTrail/PutEventSelectors are also IaC routine, so one level lower.',
    runbook:
      'credentials-leak: export CloudTrail for the incident window to write-once storage now, restart logging, then contain the caller',
  },
  'cloudtrail.amazonaws.com',
  [
    'StopLogging',
    'DeleteTrail',
    'UpdateTrail',
    'PutEventSelectors',
    'PutInsightSelectors',
    'DeleteEventDataStore',
    'StopEventDataStoreIngestion',
  ],
  (v) => {
    const trail = param(v, 'name') ?? param(v, 'trailName') ?? param(v, 'eventDataStore');
    const blinding = ['StopLogging', 'DeleteTrail', 'DeleteEventDataStore', 'StopEventDataStoreIngestion'].includes(
      v.eventName,
    );
    // "arn:aws:cloudtrail:eu-west-1:1:trail/prod-audit-trail" reads as "prod-audit-trail".
    const name = trail?.replace(/^arn:aws[\w-]*:cloudtrail:[^:]*:\d*:(trail|eventdatastore)\//, '');
    return { severity: blinding ? 0 : 1, title: `CloudTrail ${v.eventName}${name ? ` on ${name}` : ''}` };
  },
);

export const rootActivity: Rule = {
  id: 'cloudtrail.root-activity',
  title: 'Root account used',
  severity: 1,
  why: 'The root user bypasses every IAM policy and should be locked away; any API call or sign-in with it is either break-glass (someone must say so) or a takeover.',
  runbook:
    'credentials-leak: confirm with the account owner within minutes; if unexplained, reset the root password and MFA and delete root access keys',
  match(e) {
    const v = cloudTrailView(e);
    // Calls AWS services make on root's behalf (invokedBy) and service events are not root acting;
    // the console is the exception: console calls carry invokedBy signin.amazonaws.com (or the
    // console's own host names) and are root at the keyboard.
    if (!v || v.identityType !== 'Root') return false;
    const invokedBy = str(at(v.raw, 'userIdentity', 'invokedBy'));
    if (invokedBy !== undefined && !/^(signin|console)\.amazonaws\.com$/.test(invokedBy)) return false;
    if (at(v.raw, 'eventType') === 'AwsServiceEvent') return false;
    return {
      severity: v.failed ? 2 : 1,
      title: `Root account ${v.eventName}${v.sourceIp ? ` from ${v.sourceIp}` : ''}${outcomeSuffix(v)}`,
    };
  },
};

export const consoleLoginNoMfa = onCall(
  {
    id: 'cloudtrail.console-login-no-mfa',
    title: 'Console sign-in without MFA',
    severity: 2,
    why: 'An IAM user or root signed in to the console with a password alone: a phished or reused password is enough. Federated (SSO) sign-ins are skipped, their MFA happens at the identity provider.',
    runbook:
      'credentials-leak: ask the user; if it was not them, disable the login profile and review what the session did',
  },
  'signin.amazonaws.com',
  ['ConsoleLogin'],
  (v) => {
    if (v.identityType !== 'IAMUser' && v.identityType !== 'Root') return false;
    if (at(v.raw, 'additionalEventData', 'MFAUsed') !== 'No') return false;
    // A SAML sign-in logs MFAUsed "No" too: its MFA happened at the identity provider
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html#cloudtrail-integration_signin-tempcreds).
    if (at(v.raw, 'additionalEventData', 'SamlProviderArn') !== undefined) return false;
    return {
      severity: v.identityType === 'Root' ? 1 : 2,
      title: `Console sign-in without MFA${v.sourceIp ? ` from ${v.sourceIp}` : ''}`,
    };
  },
);

export const newAccessKey = onCall(
  {
    id: 'cloudtrail.iam-new-access-key',
    title: 'Access key created',
    severity: 1,
    why: 'An access key created for ANOTHER user is a classic persistence move: the caller gets credentials that survive revoking their own. A key for oneself is only a long-lived-credential policy matter (Sev3).',
    runbook:
      'credentials-leak: deactivate the new key (UpdateAccessKey Inactive, keep it for the investigation) after preserving CloudTrail',
  },
  'iam.amazonaws.com',
  ['CreateAccessKey'],
  (v) => {
    const target = param(v, 'userName');
    const forSelf = target === undefined || (v.iamUserName !== undefined && target === v.iamUserName);
    if (forSelf) return v.failed ? false : { severity: 3, title: 'Access key created for oneself' };
    return { severity: 1, title: `Access key creation for another user (${target})` };
  },
);

export const newUser = onCall(
  {
    id: 'cloudtrail.iam-new-user',
    title: 'IAM user or console password created',
    severity: 2,
    why: 'A new IAM user, or a console password given to an existing one, is a way back in after the responders rotate keys. Most teams create users only through IaC or SSO.',
    runbook:
      'credentials-leak: confirm the change with its owner; if unknown, delete the login profile and the user after preserving CloudTrail',
  },
  'iam.amazonaws.com',
  ['CreateUser', 'CreateLoginProfile', 'UpdateLoginProfile'],
  (v) => {
    const user = param(v, 'userName');
    const what =
      v.eventName === 'CreateUser'
        ? 'IAM user created'
        : v.eventName === 'CreateLoginProfile'
          ? 'Console password set'
          : 'Console password changed';
    // Changing one's own password is routine; changing someone else's is a takeover.
    if (v.eventName === 'UpdateLoginProfile' && (user === undefined || user === v.iamUserName)) return false;
    return { title: `${what}${user ? ` for ${user}` : ''}` };
  },
);

const ADMIN_POLICY = /^arn:aws[\w-]*:iam::aws:policy\/AdministratorAccess$/;

/** True if a policy document allows every action on every resource. */
export function grantsAdmin(doc: unknown): boolean {
  return allowStatements(doc).some((s) => {
    const actions = oneOrMany(at(s, 'Action'));
    const resources = oneOrMany(at(s, 'Resource'));
    return actions.some((a) => a === '*' || a === '*:*') && resources.includes('*');
  });
}

export const adminPolicy = onCall(
  {
    id: 'cloudtrail.iam-admin-policy',
    title: 'Administrator access granted',
    severity: 1,
    why: 'AdministratorAccess, or an inline policy allowing Action "*" on Resource "*", was given to a user, role or group: whoever holds it owns the account.',
    runbook:
      'credentials-leak: detach the policy (DetachUserPolicy / DeleteRolePolicy) after preserving CloudTrail, then find who holds the principal',
  },
  'iam.amazonaws.com',
  [
    'AttachUserPolicy',
    'AttachRolePolicy',
    'AttachGroupPolicy',
    'PutUserPolicy',
    'PutRolePolicy',
    'PutGroupPolicy',
    'CreatePolicyVersion',
  ],
  (v) => {
    const to = param(v, 'userName') ?? param(v, 'roleName') ?? param(v, 'groupName') ?? param(v, 'policyArn');
    if (v.eventName.startsWith('Attach')) {
      const arn = str(at(v.params, 'policyArn'));
      return arn !== undefined && ADMIN_POLICY.test(arn)
        ? { title: `AdministratorAccess attached to ${to ?? 'a principal'}` }
        : false;
    }
    if (!grantsAdmin(policyDocument(at(v.params, 'policyDocument')))) return false;
    return { title: `Policy allowing "*" on "*" (${v.eventName}) for ${to ?? 'a principal'}` };
  },
);

export const trustPolicyChanged = onCall(
  {
    id: 'cloudtrail.iam-trust-policy',
    title: 'Role trust policy changed',
    severity: 2,
    why: 'UpdateAssumeRolePolicy decides who may assume a role; adding an outside account or "*" is a quiet backdoor that survives key rotation.',
    runbook:
      'credentials-leak: compare with the IaC version and restore it; revoke sessions of the role (AWSRevokeOlderSessions)',
  },
  'iam.amazonaws.com',
  ['UpdateAssumeRolePolicy'],
  (v) => {
    const doc = policyDocument(at(v.params, 'policyDocument'));
    const open = allowStatements(doc).some(
      (s) => at(s, 'Principal') === '*' || oneOrMany(at(s, 'Principal', 'AWS')).includes('*'),
    );
    return {
      severity: open ? 1 : 2,
      title: `Trust policy of ${param(v, 'roleName') ?? 'a role'} changed${open ? ' to allow anyone' : ''}`,
    };
  },
);

export const guardDutyDisabled = onCall(
  {
    id: 'cloudtrail.guardduty-disabled',
    title: 'GuardDuty disabled or muted',
    severity: 1,
    why: 'Deleting or disabling the GuardDuty detector, leaving the administrator account, or adding an auto-archive filter blinds the threat detection this response relies on.',
    runbook:
      'credentials-leak: re-enable the detector, remove new archive filters, and treat the caller as compromised',
  },
  'guardduty.amazonaws.com',
  [
    'DeleteDetector',
    'UpdateDetector',
    'DisassociateFromMasterAccount',
    'DisassociateFromAdministratorAccount',
    'CreateFilter',
    'UpdateFilter',
    'DeleteMembers',
    'StopMonitoringMembers',
  ],
  (v) => {
    if (v.eventName === 'UpdateDetector' && at(v.params, 'enable') !== false) return false;
    if ((v.eventName === 'CreateFilter' || v.eventName === 'UpdateFilter') && at(v.params, 'action') !== 'ARCHIVE')
      return false;
    return { title: `GuardDuty ${v.eventName}` };
  },
);

export const flowLogsDeleted = onCall(
  {
    id: 'cloudtrail.flow-logs-deleted',
    title: 'VPC flow logs deleted',
    severity: 2,
    why: 'Flow logs are the network evidence (who talked to what); deleting them mid-incident is anti-forensics.',
    runbook:
      'credentials-leak: recreate the flow logs, check the log group still holds the old records, contain the caller',
  },
  'ec2.amazonaws.com',
  ['DeleteFlowLogs'],
);

export const configStopped = onCall(
  {
    id: 'cloudtrail.config-stopped',
    title: 'AWS Config recording stopped',
    severity: 2,
    why: 'AWS Config keeps the history of resource configurations; stopping or deleting the recorder hides what is changed next.',
    runbook: 'credentials-leak: restart the recorder and contain the caller',
  },
  'config.amazonaws.com',
  ['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel'],
);

export const kmsKeyDeletion = onCall(
  {
    id: 'cloudtrail.kms-key-deletion',
    title: 'KMS key scheduled for deletion or disabled',
    severity: 1,
    why: 'Data encrypted under a deleted KMS key is gone for good, and a disabled key stops every service using it: destruction or ransom leverage.',
    runbook:
      'credentials-leak: CancelKeyDeletion / EnableKey now (the waiting period is 7–30 days), then contain the caller',
  },
  'kms.amazonaws.com',
  ['ScheduleKeyDeletion', 'DisableKey'],
  (v) => ({ title: `KMS ${v.eventName} on ${param(v, 'keyId') ?? 'a key'}` }),
);

const ADMIN_PORTS = [22, 3389];

/**
 * Every address: any prefix of length 0 (0.0.0.0/0, 0/0, ::/0, and a /0 on any other base, as a
 * recorded Stratus Red Team detonation logs "208.236.235.254/0" — a /0 masks every bit).
 */
function isWorld(cidr: unknown): boolean {
  const s = str(cidr)?.trim();
  if (!s) return false;
  const m = /^(.*)\/0+$/.exec(s);
  return m !== null && /^[0-9a-f.:]*$/i.test(m[1]!);
}

/**
 * True if an EC2 IpPermission opens 22 or 3389 (or all ports) to the world. Reads both the
 * ipPermissions.items shape and the flat one (ipProtocol/cidrIp/fromPort/toPort at the top of
 * requestParameters) that the EC2 query API logs for `--cidr` requests.
 */
function opensAdminPortToWorld(p: unknown): boolean {
  const world =
    isWorld(at(p, 'cidrIp')) ||
    isWorld(at(p, 'cidrIpv6')) ||
    arr(at(p, 'ipRanges', 'items')).some((r) => isWorld(at(r, 'cidrIp'))) ||
    arr(at(p, 'ipv6Ranges', 'items')).some((r) => isWorld(at(r, 'cidrIpv6')));
  if (!world) return false;
  const proto = String(at(p, 'ipProtocol') ?? '').toLowerCase();
  if (proto === '-1' || proto === 'all') return true;
  if (proto !== 'tcp' && proto !== '6') return false;
  const from = num(at(p, 'fromPort'));
  const to = num(at(p, 'toPort'));
  if (from === undefined || to === undefined) return false;
  if (from === -1 && to === -1) return true;
  return ADMIN_PORTS.some((port) => from <= port && port <= to);
}

export const securityGroupOpen = onCall(
  {
    id: 'cloudtrail.sg-open-admin-port',
    title: 'Security group opened SSH/RDP to the internet',
    severity: 2,
    why: 'An ingress rule opens port 22 or 3389 (or everything) to 0.0.0.0/0 or ::/0: a door for the attacker, or a responder shortcut that must not stay.',
    runbook: 'host-compromise: revoke the rule (RevokeSecurityGroupIngress) and check which instances use the group',
  },
  'ec2.amazonaws.com',
  ['AuthorizeSecurityGroupIngress'],
  (v) =>
    [v.params, ...arr(at(v.params, 'ipPermissions', 'items'))].some(opensAdminPortToWorld)
      ? { title: `Security group ${param(v, 'groupId') ?? ''} opened SSH/RDP to the internet`.replace('  ', ' ') }
      : false,
);

export const CLOUDTRAIL_RULES: readonly Rule[] = [
  trailTampering,
  rootActivity,
  consoleLoginNoMfa,
  newAccessKey,
  newUser,
  adminPolicy,
  trustPolicyChanged,
  guardDutyDisabled,
  flowLogsDeleted,
  configStopped,
  kmsKeyDeletion,
  securityGroupOpen,
];
