// What every action is, without loading any SDK: the cockpit lists actions, says why one cannot
// run and checks the evidence guardrail from this table at start-up; the implementations (and
// @aws-sdk/*, @kubernetes/client-node — most of a second of cold start) load on the first plan,
// and take their metadata from here (actionMeta), so the two are one.

import { instancePrecondition, keyPrecondition } from './target-checks.js';
import type { ActionDef } from './types.js';

export type ActionMeta = Omit<ActionDef, 'plan' | 'dryRun' | 'execute' | 'verify' | 'params'>;

export const ACTION_META: readonly ActionMeta[] = [
  { id: 'aws.preserveCloudTrail', title: 'Preserve CloudTrail for the role\'s window (hashed evidence file)', key: 'e', kind: 'iam-role', phase: 'evidence', destructive: false, reversible: false, evidence: true, needs: 'aws',
    permissions: { aws: ['cloudtrail:LookupEvents'] } },
  { id: 'aws.preserveCloudTrailKey', title: 'Preserve CloudTrail for the access key\'s window (hashed evidence file)', key: 'e', kind: 'access-key', phase: 'evidence', destructive: false, reversible: false, evidence: true, needs: 'aws',
    permissions: { aws: ['cloudtrail:LookupEvents'] } },
  { id: 'aws.preserveCloudTrailUser', title: 'Preserve CloudTrail for the user\'s window (hashed evidence file)', key: 'e', kind: 'iam-user', phase: 'evidence', destructive: false, reversible: false, evidence: true, needs: 'aws',
    permissions: { aws: ['cloudtrail:LookupEvents'] } },
  // HeadObject is allowed by s3:GetObject (s3:GetObjectVersion with a VersionId); PutObject with Object Lock
  // retention headers needs s3:PutObjectRetention. https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
  { id: 'aws.uploadEvidence', title: 'Upload the evidence file to the Object Lock bucket (WORM, checksummed)', key: 'w', kind: 'evidence', phase: 'evidence', destructive: false, reversible: false, evidence: true, needs: 'aws',
    permissions: { aws: ['s3:GetBucketObjectLockConfiguration', 's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention', 's3:PutObject', 's3:PutObjectRetention'] } },
  // revoke-prefix is a root-protected endpoint: it needs sudo. https://developer.hashicorp.com/vault/api-docs/system/leases
  { id: 'vault.revokeLeases', title: 'Revoke every Vault lease under the prefix (final)', key: 'l', kind: 'vault-prefix', phase: 'containment', destructive: true, reversible: false, evidence: false, needs: 'vault',
    permissions: { vault: [{ path: 'sys/leases/lookup/*', capabilities: ['list'] }, { path: 'sys/leases/revoke-prefix/*', capabilities: ['update', 'sudo'] }] } },
  // Tagging on creation (TagSpecifications) needs ec2:CreateTags as well.
  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html
  { id: 'aws.snapshotVolumes', title: 'Snapshot every EBS volume, tagged with the incident id', key: 's', kind: 'instance', phase: 'evidence', destructive: false, reversible: false, evidence: true, needs: 'aws', preconditions: instancePrecondition,
    permissions: { aws: ['ec2:DescribeInstances', 'ec2:DescribeSnapshots', 'ec2:CreateSnapshots', 'ec2:CreateTags'] } },
  { id: 'aws.isolateInstance', title: 'Isolate the instance (isolation security group)', key: 'i', kind: 'instance', phase: 'containment', destructive: true, reversible: true, evidence: false, evidenceFirst: ['aws.snapshotVolumes'], undo: 'aws.restoreInstance', needs: 'aws', preconditions: instancePrecondition,
    permissions: { aws: ['ec2:DescribeInstances', 'ec2:DescribeInstanceAttribute', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules', 'ec2:CreateSecurityGroup', 'ec2:CreateTags', 'ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:ModifyInstanceAttribute', 'ec2:ModifyNetworkInterfaceAttribute'] } },
  // Restoring reopens the network paths of a compromised host: it needs an armed session like any change.
  { id: 'aws.restoreInstance', title: 'Restore the instance (previous security groups, termination protection)', key: 'u', kind: 'instance', phase: 'recovery', destructive: true, reversible: false, evidence: false, undoOnly: true, needs: 'aws',
    permissions: { aws: ['ec2:DescribeInstances', 'ec2:DescribeInstanceAttribute', 'ec2:DescribeSecurityGroups', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:ModifyInstanceAttribute'] } },
  { id: 'aws.naclIsolateInstance', title: 'Cut the instance\'s traffic at the subnet edge (network ACL deny for its private IPs)', key: 'n', kind: 'instance', phase: 'containment', destructive: true, reversible: true, evidence: false, evidenceFirst: ['aws.snapshotVolumes'], undo: 'aws.restoreNacl', needs: 'aws', preconditions: instancePrecondition,
    permissions: { aws: ['ec2:DescribeInstances', 'ec2:DescribeNetworkAcls', 'ec2:CreateNetworkAclEntry'] } },
  // (Same for lifting the network-ACL deny.)
  { id: 'aws.restoreNacl', title: 'Remove the network-ACL deny entries the isolation added', key: 'u', kind: 'instance', phase: 'recovery', destructive: true, reversible: false, evidence: false, undoOnly: true, needs: 'aws',
    permissions: { aws: ['ec2:DescribeNetworkAcls', 'ec2:DeleteNetworkAclEntry'] } },
  { id: 'aws.denyAllRole', title: 'Deny-all inline policy on the role + revoke older sessions', key: 'd', kind: 'iam-role', phase: 'containment', destructive: true, reversible: true, evidence: false, evidenceFirst: ['aws.preserveCloudTrail'], undo: 'aws.restoreRole', needs: 'aws',
    permissions: { aws: ['iam:GetRole', 'iam:ListRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:GetRolePolicy', 'iam:PutRolePolicy'] } },
  { id: 'aws.restoreRole', title: 'Lift the deny-all on the role (restore its inline policies)', key: 'u', kind: 'iam-role', phase: 'recovery', destructive: false, reversible: false, evidence: false, undoOnly: true, needs: 'aws',
    permissions: { aws: ['iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'] } },
  { id: 'aws.deactivateKey', title: 'Deactivate the access key (not delete) + revoke sessions', key: 'x', kind: 'access-key', phase: 'containment', destructive: true, reversible: true, evidence: false, evidenceFirst: ['aws.preserveCloudTrailKey'], undo: 'aws.reactivateKey', needs: 'aws', preconditions: keyPrecondition,
    permissions: { aws: ['iam:GetAccessKeyLastUsed', 'iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:GetUserPolicy', 'iam:PutUserPolicy'] } },
  { id: 'aws.reactivateKey', title: 'Reactivate the access key + lift the session revocation', key: 'u', kind: 'access-key', phase: 'recovery', destructive: false, reversible: false, evidence: false, undoOnly: true, needs: 'aws',
    permissions: { aws: ['iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:GetUserPolicy', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy'] } },
  { id: 'aws.denyAllUser', title: 'Deny-all inline policy on the user + revoke older sessions', key: 'd', kind: 'iam-user', phase: 'containment', destructive: true, reversible: true, evidence: false, evidenceFirst: ['aws.preserveCloudTrailUser'], undo: 'aws.restoreUser', needs: 'aws',
    permissions: { aws: ['iam:GetUser', 'iam:GetLoginProfile', 'iam:ListAccessKeys', 'iam:ListUserPolicies', 'iam:GetUserPolicy', 'iam:PutUserPolicy'] } },
  { id: 'aws.restoreUser', title: 'Lift the deny-all on the user (restore its inline policies)', key: 'u', kind: 'iam-user', phase: 'recovery', destructive: false, reversible: false, evidence: false, undoOnly: true, needs: 'aws',
    permissions: { aws: ['iam:GetUserPolicy', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy'] } },
  { id: 'k8s.capturePod', title: 'Capture pod evidence (spec, logs incl. previous, events)', key: 'c', kind: 'pod', phase: 'evidence', destructive: false, reversible: false, evidence: true, needs: 'kubernetes',
    permissions: { kubernetes: [{ apiGroup: '', resource: 'pods', verbs: ['get'] }, { apiGroup: '', resource: 'pods/log', verbs: ['get'] }, { apiGroup: '', resource: 'events', verbs: ['list'] }] } },
  { id: 'k8s.quarantinePod', title: 'Quarantine the pod (relabel out of Services + deny-all policy)', key: 'Q', kind: 'pod', phase: 'containment', destructive: true, reversible: true, evidence: false, evidenceFirst: ['k8s.capturePod'], undo: 'k8s.unquarantinePod', needs: 'kubernetes',
    permissions: { kubernetes: [{ apiGroup: '', resource: 'pods', verbs: ['get', 'patch'] }, { apiGroup: '', resource: 'services', verbs: ['list'] }, { apiGroup: 'apps', resource: 'replicasets', verbs: ['get'] }, { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: ['get', 'list', 'create'] }, { apiGroup: 'discovery.k8s.io', resource: 'endpointslices', verbs: ['list'] }] } },
  { id: 'k8s.unquarantinePod', title: 'Lift the pod quarantine (restore labels, delete its policy)', key: 'U', kind: 'pod', phase: 'recovery', destructive: true, reversible: false, evidence: false, undoOnly: true, needs: 'kubernetes',
    permissions: { kubernetes: [{ apiGroup: '', resource: 'pods', verbs: ['get', 'patch'] }, { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: ['get', 'delete'] }] } },
  // Namespace-wide evidence is its pods' evidence: captured per pod, so no single capture gates this.
  { id: 'k8s.isolateNamespace', title: 'Isolate the namespace (deny-all NetworkPolicy)', key: 'i', kind: 'namespace', phase: 'containment', destructive: true, reversible: true, evidence: false, undo: 'k8s.unisolateNamespace', needs: 'kubernetes',
    permissions: { kubernetes: [{ apiGroup: '', resource: 'namespaces', verbs: ['get'] }, { apiGroup: '', resource: 'pods', verbs: ['list'] }, { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: ['get', 'list', 'create'] }] } },
  { id: 'k8s.unisolateNamespace', title: 'Lift the namespace isolation (delete the deny-all policy)', key: 'U', kind: 'namespace', phase: 'recovery', destructive: true, reversible: false, evidence: false, undoOnly: true, needs: 'kubernetes',
    permissions: { kubernetes: [{ apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: ['get', 'delete'] }] } },
  { id: 'k8s.cordonNode', title: 'Cordon the node', key: 'o', kind: 'node', phase: 'containment', destructive: true, reversible: true, evidence: false, undo: 'k8s.uncordonNode', needs: 'kubernetes',
    permissions: { kubernetes: [{ apiGroup: '', resource: 'nodes', verbs: ['get', 'patch'] }, { apiGroup: '', resource: 'pods', verbs: ['list'] }] } },
  { id: 'k8s.uncordonNode', title: 'Uncordon the node', key: 'U', kind: 'node', phase: 'recovery', destructive: true, reversible: false, evidence: false, undoOnly: true, needs: 'kubernetes',
    permissions: { kubernetes: [{ apiGroup: '', resource: 'nodes', verbs: ['get', 'patch'] }] } },
];

/** An implementation's metadata, from the one table (so the two can never disagree). */
export function actionMeta(id: string): ActionMeta {
  const m = ACTION_META.find((x) => x.id === id);
  if (!m) throw new Error(`action ${id} is not in src/actions/meta.ts`);
  return m;
}
