// The isolation security group: one per incident and VPC, named firebreak-isolation-<incident>,
// with no inbound and no outbound rules. A new group is NOT empty — AWS gives it an allow-all
// egress rule — so it is revoked by rule id, and the group is read back before any
// interface is moved into it: an "isolation" group that still lets traffic out isolates nothing.
// https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html

import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { ActionError, awsRequestId } from '../../errors.js';
import { ACTION_TAG, INCIDENT_TAG } from './common.js';

export function isolationGroupName(incidentId: string): string {
  // Group names allow 255 characters of a limited set; keep the incident id recognisable.
  return `firebreak-isolation-${incidentId.replace(/[^A-Za-z0-9._\-:/()#,@[\]+=&;{}!$*]/g, '-')}`.slice(0, 255);
}

export async function findIsolationGroup(
  ec2: EC2Client,
  name: string,
  vpcId: string,
): Promise<{ group: SecurityGroup | undefined; requestIds: string[] }> {
  const out = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'group-name', Values: [name] },
        { Name: 'vpc-id', Values: [vpcId] },
      ],
    }),
  );
  // Filters narrow the wire; the check in code decides: a response that ignored them must not hand
  // back some other group (in another VPC, or with another name) as the isolation group.
  const group = out.SecurityGroups?.find((g) => g.GroupName === name && g.VpcId === vpcId);
  return { group, requestIds: awsRequestId(out) };
}

export function ruleCount(g: SecurityGroup): { ingress: number; egress: number } {
  return { ingress: g.IpPermissions?.length ?? 0, egress: g.IpPermissionsEgress?.length ?? 0 };
}

export interface EnsuredGroup {
  groupId: string;
  created: boolean;
  /** Mutating calls made (0 when the group was already there and empty). */
  changes: number;
  requestIds: string[];
}

/** Finds or creates the isolation group and empties it; fails unless the read-back shows no rules at all. */
export async function ensureIsolationGroup(
  ec2: EC2Client,
  o: { name: string; vpcId: string; incidentId: string; token: string },
): Promise<EnsuredGroup> {
  const requestIds: string[] = [];
  let changes = 0;
  const found = await findIsolationGroup(ec2, o.name, o.vpcId);
  requestIds.push(...found.requestIds);
  let groupId = found.group?.GroupId;
  const created = !groupId;
  if (!groupId) {
    const out = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: o.name,
        Description: `firebreak isolation for ${o.incidentId}: no inbound, no outbound`,
        VpcId: o.vpcId,
        TagSpecifications: [
          {
            ResourceType: 'security-group',
            Tags: [
              { Key: INCIDENT_TAG, Value: o.incidentId },
              { Key: ACTION_TAG, Value: o.token },
            ],
          },
        ],
      }),
    );
    requestIds.push(...awsRequestId(out));
    changes++;
    groupId = out.GroupId;
    if (!groupId) throw new ActionError('CreateSecurityGroup returned no group id', 'NoGroupId', undefined, requestIds);
  }
  const rules = await ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  requestIds.push(...awsRequestId(rules));
  // Only this group's rules, whatever the filter returned.
  const own = (rules.SecurityGroupRules ?? []).filter((r) => r.GroupId === groupId);
  const egress = own.filter((r) => r.IsEgress).map((r) => r.SecurityGroupRuleId!);
  const ingress = own.filter((r) => !r.IsEgress).map((r) => r.SecurityGroupRuleId!);
  // By rule id, not by properties: revoking by properties only matches exact values, and a miss
  // can return no error: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RevokeSecurityGroupEgress.html
  if (egress.length) {
    requestIds.push(
      ...awsRequestId(
        await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, SecurityGroupRuleIds: egress })),
      ),
    );
    changes++;
  }
  if (ingress.length) {
    requestIds.push(
      ...awsRequestId(
        await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ingress })),
      ),
    );
    changes++;
  }
  const back = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  requestIds.push(...awsRequestId(back));
  const g = back.SecurityGroups?.[0];
  const n = g ? ruleCount(g) : undefined;
  if (!n || n.ingress + n.egress > 0) {
    throw new ActionError(
      `isolation group ${groupId} is not empty after revoking (${n?.ingress ?? '?'} inbound, ${n?.egress ?? '?'} outbound rules): no interface was moved`,
      'IsolationGroupNotEmpty',
      'check the group in the console (a rule may be re-added by automation, e.g. a Config remediation or Terraform) and re-plan',
      requestIds,
    );
  }
  return { groupId, created, changes, requestIds };
}
