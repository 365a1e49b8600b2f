// CloudTrail rules for attack techniques catalogued by Stratus Red Team that the core rules did not
// cover: sharing snapshots and images out, leaving the organization, blinding DNS query logs,
// reading instance secrets, Lambda backdoors, remote commands and SSH keys pushed to instances,
// federation tokens, Roles Anywhere trust anchors and EKS access entries. Each names the
// behaviour, not the tool. https://stratus-red-team.cloud/attack-techniques/list/

import { onCall } from './cloudtrail-rules.js';
import { param } from './cloudtrail-view.js';
import { arr, at, str } from './read.js';
import type { Rule, RuleInfo } from './types.js';

/** Account ids a snapshot/image permission adds ("all" = public). */
function sharedWith(v: { params: unknown }): string[] {
  const p = v.params;
  const ec2 = [
    ...arr(at(p, 'createVolumePermission', 'add', 'items')),
    ...arr(at(p, 'launchPermission', 'add', 'items')),
  ].map((i) => str(at(i, 'userId')) ?? str(at(i, 'group')) ?? '');
  const rds = arr(at(p, 'valuesToAdd')).map((x) => str(x) ?? '');
  return [...ec2, ...rds].filter(Boolean);
}

const SHARE_INFO: RuleInfo = {
  id: 'cloudtrail.snapshot-shared',
  title: 'Snapshot or image shared with another account',
  severity: 1,
  why: 'An EBS snapshot, AMI or RDS snapshot was given to another account (or made public): the data can be restored there, out of reach of this account. A classic exfiltration step.',
  runbook: 'data-exposure: remove the permission (ModifySnapshotAttribute remove), then list what the snapshot held',
};
// onCall matches one event source; sharing spans EC2 and RDS, so this rule reads both.
const SHARE_CALLS: Record<string, string> = {
  ModifySnapshotAttribute: 'ec2.amazonaws.com',
  ModifyImageAttribute: 'ec2.amazonaws.com',
  ModifyDBSnapshotAttribute: 'rds.amazonaws.com',
  ModifyDBClusterSnapshotAttribute: 'rds.amazonaws.com',
};
const shareRules = Object.entries(SHARE_CALLS).map(([name, source]) =>
  onCall(SHARE_INFO, source, [name], (v) => {
    const to = sharedWith(v);
    if (!to.length) return false;
    const what =
      param(v, 'snapshotId') ??
      param(v, 'imageId') ??
      param(v, 'dBSnapshotIdentifier') ??
      param(v, 'dBClusterSnapshotIdentifier');
    return { title: `${what ?? 'Snapshot'} shared with ${to.join(', ')}` };
  }),
);
export const snapshotSharedAny: Rule = {
  ...SHARE_INFO,
  match(e) {
    for (const r of shareRules) {
      const h = r.match!(e);
      if (h) return h;
    }
    return false;
  },
};

export const leaveOrganization = onCall(
  {
    id: 'cloudtrail.leave-organization',
    title: 'Account left the AWS Organization',
    severity: 1,
    why: 'LeaveOrganization removes the account from its organization: service control policies and the organization trail no longer apply to it.',
    runbook:
      'credentials-leak: contact the organization owner now; contain the caller and check what the SCPs used to deny',
  },
  'organizations.amazonaws.com',
  ['LeaveOrganization'],
  () => ({ title: 'Account left the AWS Organization' }),
);

export const resolverQueryLogDeleted = onCall(
  {
    id: 'cloudtrail.dns-query-log-deleted',
    title: 'Route 53 Resolver query logging removed',
    severity: 2,
    why: 'Resolver query logs are the DNS evidence (which host looked up which domain); deleting or detaching them hides command-and-control and exfiltration lookups.',
    runbook: 'host-compromise: recreate the query-log configuration and association, then contain the caller',
  },
  'route53resolver.amazonaws.com',
  ['DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig'],
  (v) => ({ title: `Resolver ${v.eventName} ${param(v, 'resolverQueryLogConfigId') ?? ''}`.trim() }),
);

export const passwordDataRead = onCall(
  {
    id: 'cloudtrail.ec2-password-data',
    title: 'Windows instance password data read',
    severity: 2,
    why: 'GetPasswordData returns the encrypted local Administrator password of a Windows instance; with the key pair it is a way onto the host.',
    runbook:
      'host-compromise: rotate the local Administrator password of the instance and review who holds the key pair',
  },
  'ec2.amazonaws.com',
  ['GetPasswordData'],
  (v) => ({ title: `Password data read for ${param(v, 'instanceId') ?? 'an instance'}` }),
);

export const userDataAccess = onCall(
  {
    id: 'cloudtrail.ec2-user-data',
    title: 'Instance user data read or changed',
    severity: 2,
    why: "User data often holds bootstrap secrets (reading it is credential access), and changing it runs the attacker's script as root at the next start (persistence).",
    runbook: 'host-compromise: compare the user data with the IaC version, restore it, and rotate secrets it held',
  },
  'ec2.amazonaws.com',
  ['DescribeInstanceAttribute', 'ModifyInstanceAttribute'],
  (v) => {
    const read = v.eventName === 'DescribeInstanceAttribute';
    if (read ? at(v.params, 'attribute') !== 'userData' : at(v.params, 'userData') === undefined) return false;
    const id = param(v, 'instanceId') ?? 'an instance';
    return read ? { severity: 3, title: `User data read on ${id}` } : { title: `User data changed on ${id}` };
  },
);

export const lambdaBackdoor = onCall(
  {
    id: 'cloudtrail.lambda-backdoor',
    title: 'Lambda function opened, overwritten or extended',
    severity: 2,
    why: "A resource policy letting another account or anyone invoke a function, new code, or a new layer is a way to run code with the function's role long after the keys are rotated.",
    runbook:
      'credentials-leak: compare the function with its deployed version, remove the permission or layer, and review its role',
  },
  'lambda.amazonaws.com',
  [
    'AddPermission20150331v2',
    'AddPermission20150331',
    'UpdateFunctionCode20150331v2',
    'UpdateFunctionConfiguration20150331v2',
  ],
  (v) => {
    const fn = param(v, 'functionName') ?? 'a function';
    if (v.eventName.startsWith('AddPermission')) {
      const principal = str(at(v.params, 'principal')) ?? '';
      const account = str(at(v.raw, 'recipientAccountId'));
      const outside =
        principal === '*' ||
        (/^\d{12}$|^arn:aws[\w-]*:iam::\d{12}:/.test(principal) && !principal.includes(account ?? '-'));
      return outside ? { severity: 1, title: `Lambda ${fn} invocable by ${principal}` } : false;
    }
    if (v.eventName.startsWith('UpdateFunctionCode')) return { title: `Lambda ${fn} code replaced` };
    return at(v.params, 'layers') !== undefined ? { title: `Lambda ${fn} layers changed` } : false;
  },
);

export const remoteCommand = onCall(
  {
    id: 'cloudtrail.ssm-remote-command',
    title: 'Command or shell run on instances through SSM',
    severity: 2,
    why: 'SendCommand and StartSession run commands on instances without SSH: routine for operators, and the way an attacker with IAM access reaches the hosts.',
    runbook:
      'host-compromise: read the command document and output, confirm with the owner, and isolate the targets if unexplained',
  },
  'ssm.amazonaws.com',
  ['SendCommand', 'StartSession'],
  (v) => {
    const targets = [...arr(at(v.params, 'instanceIds')).map((x) => str(x) ?? ''), param(v, 'target') ?? ''].filter(
      Boolean,
    );
    return { title: `SSM ${v.eventName} on ${targets.join(', ') || 'instances'}` };
  },
);

export const sshKeyPushed = onCall(
  {
    id: 'cloudtrail.instance-ssh-key-pushed',
    title: 'SSH key pushed to an instance',
    severity: 2,
    why: 'EC2 Instance Connect (or the serial console) accepted a public key for 60 seconds: whoever holds the private key gets a shell on the instance.',
    runbook: 'host-compromise: confirm with the owner; if unexplained, isolate the instance and review its logins',
  },
  'ec2-instance-connect.amazonaws.com',
  ['SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey'],
  (v) => ({ title: `SSH key pushed (${v.eventName}) to ${param(v, 'instanceId') ?? 'an instance'}` }),
);

export const federationToken = onCall(
  {
    id: 'cloudtrail.federation-token',
    title: 'Federation token issued to an IAM user',
    severity: 2,
    why: 'GetFederationToken turns long-lived user keys into console-capable temporary credentials that survive deleting the access key.',
    runbook:
      'credentials-leak: attach a deny-all for tokens issued before now to the user (aws:TokenIssueTime), then rotate its keys',
  },
  'sts.amazonaws.com',
  ['GetFederationToken'],
  (v) => ({ title: `Federation token ${param(v, 'name') ?? ''} issued`.replace('  ', ' ') }),
);

export const rolesAnywhereTrustAnchor = onCall(
  {
    id: 'cloudtrail.roles-anywhere-trust-anchor',
    title: 'IAM Roles Anywhere trust anchor or profile created',
    severity: 1,
    why: "A trust anchor lets anyone holding a certificate from the attacker's CA assume roles: persistence outside IAM keys.",
    runbook: 'credentials-leak: delete the trust anchor and profile after capturing them, then revoke role sessions',
  },
  'rolesanywhere.amazonaws.com',
  ['CreateTrustAnchor', 'CreateProfile', 'UpdateTrustAnchor'],
  (v) => ({ title: `Roles Anywhere ${v.eventName} ${param(v, 'name') ?? ''}`.trim() }),
);

export const eksAccessEntry = onCall(
  {
    id: 'cloudtrail.eks-access-entry',
    title: 'EKS cluster access granted to an IAM principal',
    severity: 1,
    why: "An access entry or access policy association gives an IAM principal Kubernetes permissions on the cluster (cluster admin, often): a backdoor outside the cluster's own RBAC.",
    runbook:
      'host-compromise: delete the access entry after capturing it and review what the principal did in the cluster',
  },
  'eks.amazonaws.com',
  ['CreateAccessEntry', 'AssociateAccessPolicy'],
  (v) => ({
    title: `EKS ${v.eventName} on ${param(v, 'name') ?? param(v, 'clusterName') ?? 'a cluster'} for ${param(v, 'principalArn') ?? 'a principal'}`,
  }),
);

export const AWS_TECHNIQUE_RULES: readonly Rule[] = [
  snapshotSharedAny,
  leaveOrganization,
  resolverQueryLogDeleted,
  passwordDataRead,
  userDataAccess,
  lambdaBackdoor,
  remoteCommand,
  sshKeyPushed,
  federationToken,
  rolesAnywhereTrustAnchor,
  eksAccessEntry,
];
