// aws.isolateInstance: every network interface of the instance carries only the isolation group
// (no inbound, no outbound), and termination protection is on. Interfaces are changed one by one
// with ModifyNetworkInterfaceAttribute: ModifyInstanceAttribute Groups fails on an instance with
// several interfaces. The previous groups per interface and the previous
// termination protection are the outputs aws.restoreInstance puts back.
// https://docs.aws.amazon.com/goto/cli2/ec2-2016-11-15/ModifyInstanceAttribute

import { keepPrevious } from '../../call-context.js';
import {
  CreateSecurityGroupCommand,
  DescribeInstancesCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  type EC2Client,
  type Instance,
} from '@aws-sdk/client-ec2';
import { ActionError, awsRequestId } from '../../errors.js';
import type { ActionEnv, ActionPlan, ExecuteResult, Target, VerifyResult } from '../../types.js';
import {
  ASG_TAG,
  type Rehearsal,
  ec2Of,
  instanceIdOf,
  readInstance,
  readTerminationProtection,
  rehearse,
  sameSet,
  shown,
  tagValue,
} from './common.js';
import { ensureIsolationGroup, findIsolationGroup, isolationGroupName, ruleCount } from './isolation-group.js';
import { actionMeta } from '../../meta.js';
import { z } from 'zod';
import { defineAction } from '../../define.js';
import { INSTANCE_ID } from '../../target-checks.js';

export const interfaceGroups = z.strictObject({ networkInterfaceId: z.string().min(1), groups: z.array(z.string()) });
export type InterfaceGroups = z.infer<typeof interfaceGroups>;

const isolateParams = z.strictObject({
  instanceId: z.string().regex(INSTANCE_ID),
  vpcId: z.string().min(1),
  region: z.string(),
  incidentId: z.string().min(1),
  isolationGroupName: z.string().min(1),
  /** The isolation group when it already existed at plan time; null: it will be created. */
  isolationGroupId: z.string().nullable(),
  /** Each interface with the groups it had when the plan was made. */
  interfaces: z.array(interfaceGroups),
  terminationProtection: z.literal(true),
});
type IsolateParams = z.infer<typeof isolateParams>;

function interfacesOf(i: Awaited<ReturnType<typeof readInstance>>['instance']): InterfaceGroups[] {
  return [...(i.NetworkInterfaces ?? [])]
    .sort((a, b) => (a.Attachment?.DeviceIndex ?? 0) - (b.Attachment?.DeviceIndex ?? 0))
    .map((n) => ({ networkInterfaceId: n.NetworkInterfaceId!, groups: (n.Groups ?? []).map((g) => g.GroupId!) }));
}

/** How many other instances carry one of these groups (they keep them: unaffected, but worth knowing). */
async function othersSharing(ec2: EC2Client, instanceId: string, groups: string[]): Promise<number> {
  if (groups.length === 0) return 0;
  const out = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: 'instance.group-id', Values: groups }] }),
  );
  // Counted from each instance's own groups, not from the filter alone (a server that ignores it
  // must not inflate the blast radius).
  const wanted = new Set(groups);
  const carries = (i: Instance) =>
    [...(i.SecurityGroups ?? []), ...(i.NetworkInterfaces ?? []).flatMap((n) => n.Groups ?? [])].some(
      (g) => g.GroupId !== undefined && wanted.has(g.GroupId),
    );
  return new Set(
    out.Reservations?.flatMap((r) => r.Instances ?? [])
      .filter(carries)
      .map((i) => i.InstanceId)
      .filter((id) => id !== instanceId),
  ).size;
}

async function plan(target: Target, env: ActionEnv): Promise<ActionPlan<IsolateParams>> {
  const ec2 = ec2Of(env);
  const instanceId = instanceIdOf(target);
  const { instance } = await readInstance(ec2, instanceId);
  const vpcId = instance.VpcId;
  if (!vpcId)
    throw new ActionError(
      `instance ${instanceId} is not in a VPC`,
      'NoVpc',
      'EC2-Classic instances cannot be isolated with VPC security groups',
    );
  const interfaces = interfacesOf(instance);
  if (interfaces.length === 0)
    throw new ActionError(`instance ${instanceId} has no network interfaces`, 'NoInterfaces');
  const tp = await readTerminationProtection(ec2, instanceId);
  const name = isolationGroupName(env.incidentId);
  const { group } = await findIsolationGroup(ec2, name, vpcId);
  const previous = [...new Set(interfaces.flatMap((n) => n.groups))];
  const sharing = await othersSharing(ec2, instanceId, previous);
  const asg = tagValue(instance, ASG_TAG);
  const params: IsolateParams = {
    instanceId,
    vpcId,
    region: env.aws?.region ?? '',
    incidentId: env.incidentId,
    isolationGroupName: name,
    isolationGroupId: group?.GroupId ?? null,
    interfaces,
    terminationProtection: true,
  };
  const groupState = group
    ? `exists (${group.GroupId}; ${ruleCount(group).ingress} inbound / ${ruleCount(group).egress} outbound rules now)`
    : 'will be created';
  return {
    params,
    calls: [
      ...(group
        ? []
        : [
            {
              service: 'ec2' as const,
              op: 'CreateSecurityGroup',
              summary: `${name} in ${vpcId}, tagged incident-id=${env.incidentId} — a new group gets an allow-all egress rule…`,
              mutating: true,
            },
          ]),
      { service: 'ec2', op: 'DescribeSecurityGroupRules', summary: `the rules of ${name}`, mutating: false },
      {
        service: 'ec2',
        op: 'RevokeSecurityGroupEgress',
        summary: `…so every egress rule of ${name} is revoked by rule id (and any inbound rule with RevokeSecurityGroupIngress)`,
        mutating: true,
      },
      {
        service: 'ec2',
        op: 'DescribeSecurityGroups',
        summary: `read back: ${name} has no inbound and no outbound rules (else stop before moving any interface)`,
        mutating: false,
      },
      {
        service: 'ec2',
        op: 'ModifyInstanceAttribute',
        summary: `${instanceId} DisableApiTermination=true (now ${tp.on ? 'already on' : 'off'})`,
        mutating: true,
      },
      ...interfaces.map((n) => ({
        service: 'ec2' as const,
        op: 'ModifyNetworkInterfaceAttribute',
        summary: `${n.networkInterfaceId}: Groups [${n.groups.join(', ')}] → [${name}]`,
        mutating: true,
      })),
    ],
    blastRadius: [
      `${instanceId}: all ${interfaces.length} network interface${interfaces.length === 1 ? '' : 's'} lose every inbound and outbound path (isolation group ${groupState})`,
      asg
        ? `member of Auto Scaling group ${shown(asg)}: its health check may mark the isolated instance unhealthy and terminate or replace it — put it in Standby (aws autoscaling enter-standby) or suspend HealthCheck / ReplaceUnhealthy first`
        : 'no Auto Scaling group tag: no group will replace or terminate it',
      'load balancer membership is not visible to this action: check target groups (aws elbv2 describe-target-health) — the instance will fail health checks and stop receiving traffic',
      sharing > 0
        ? `${sharing} other instance${sharing === 1 ? '' : 's'} share${sharing === 1 ? 's' : ''} the previous groups (${previous.join(', ')}): they keep them and are unaffected`
        : `no other instance carries the previous groups (${previous.join(', ')})`,
      'SSM, EDR and log agents on the instance lose their connection too: collect through them before isolating',
    ],
    warnings: [
      "tracked connections SURVIVE a security-group change: an established session (the attacker's shell) keeps flowing until it is idle — up to 5 days for TCP (432000 s default). To cut them at once, add a network ACL deny on the subnet (stateless; the ACL is shared by the subnet, the deny only names this instance's /32s) — offer the network-ACL step: aws.naclIsolateInstance (key n)",
      'untracked flows (allowed 0.0.0.0/0 in both directions on all ports) drop at once',
      'termination protection stops TerminateInstances, not a shutdown from inside the instance nor an Auto Scaling termination',
    ],
    guidance: [
      'isolate, never terminate first: termination destroys memory and instance-store evidence, and with DeleteOnTermination the root volume too',
      'evidence first: snapshot the volumes (s) — and take memory through SSM or your EDR before the agent is cut off',
    ],
  };
}

async function dryRun(target: Target, plan: ActionPlan<IsolateParams>, env: ActionEnv) {
  const ec2 = ec2Of(env);
  const p = plan.params;
  const steps: Rehearsal[] = [];
  if (!p.isolationGroupId) {
    steps.push({
      label: `CreateSecurityGroup ${p.isolationGroupName}`,
      run: () =>
        ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: p.isolationGroupName,
            Description: `firebreak isolation for ${p.incidentId}: no inbound, no outbound`,
            VpcId: p.vpcId,
            DryRun: true,
          }),
        ),
    });
  }
  steps.push({
    label: `ModifyInstanceAttribute ${p.instanceId} DisableApiTermination`,
    run: () =>
      ec2.send(
        new ModifyInstanceAttributeCommand({
          InstanceId: p.instanceId,
          DisableApiTermination: { Value: true },
          DryRun: true,
        }),
      ),
  });
  for (const n of p.interfaces) {
    // Before the isolation group exists, rehearse the permission with the interface's own groups.
    const groups = p.isolationGroupId ? [p.isolationGroupId] : n.groups;
    steps.push({
      label: `ModifyNetworkInterfaceAttribute ${n.networkInterfaceId}`,
      run: () =>
        ec2.send(
          new ModifyNetworkInterfaceAttributeCommand({
            NetworkInterfaceId: n.networkInterfaceId,
            Groups: groups,
            DryRun: true,
          }),
        ),
    });
  }
  return rehearse(steps);
}

async function execute(
  target: Target,
  plan: ActionPlan<IsolateParams>,
  env: ActionEnv,
  token: string,
): Promise<ExecuteResult> {
  const ec2 = ec2Of(env);
  const p = plan.params;
  // The previous state is read now, not taken from the plan: it is what undo must put back.
  const read = await readInstance(ec2, p.instanceId);
  const tp = await readTerminationProtection(ec2, p.instanceId);
  const previous = interfacesOf(read.instance);
  // Journaled before the first write; a completion of a partial isolation gets the first
  // attempt's groups back, never the isolation group it finds on the interfaces done already.
  const kept = await keepPrevious({ previousGroups: previous, previousTerminationProtection: tp.on });
  const requestIds = [...read.requestIds, ...tp.requestIds];
  const iso = await ensureIsolationGroup(ec2, {
    name: p.isolationGroupName,
    vpcId: p.vpcId,
    incidentId: p.incidentId,
    token,
  });
  requestIds.push(...iso.requestIds);
  const group = await keepPrevious({ isolationGroupId: iso.groupId, createdGroup: iso.created });
  let changes = iso.changes;
  if (!tp.on) {
    requestIds.push(
      ...awsRequestId(
        await ec2.send(
          new ModifyInstanceAttributeCommand({ InstanceId: p.instanceId, DisableApiTermination: { Value: true } }),
        ),
      ),
    );
    changes++;
  }
  for (const n of previous) {
    if (sameSet(n.groups, [iso.groupId])) continue;
    requestIds.push(
      ...awsRequestId(
        await ec2.send(
          new ModifyNetworkInterfaceAttributeCommand({
            NetworkInterfaceId: n.networkInterfaceId,
            Groups: [iso.groupId],
          }),
        ),
      ),
    );
    changes++;
  }
  const alreadyApplied = changes === 0;
  return {
    requestIds,
    outputs: {
      actionId: token,
      isolationGroupId: iso.groupId,
      isolationGroupName: p.isolationGroupName,
      createdGroup: group.createdGroup,
      previousGroups: kept.previousGroups,
      previousTerminationProtection: kept.previousTerminationProtection,
      alreadyApplied,
    },
    message: alreadyApplied
      ? `already applied: ${p.instanceId} already carries only ${iso.groupId} on every interface with termination protection on`
      : `isolated ${p.instanceId}: ${previous.length} interface${previous.length === 1 ? '' : 's'} now carry only ${iso.groupId} (${p.isolationGroupName}: no inbound, no outbound); termination protection on. Established connections may survive: cut them with the network-ACL step (aws.naclIsolateInstance, key n)`,
  };
}

async function verify(
  target: Target,
  plan: ActionPlan<IsolateParams>,
  env: ActionEnv,
  result: ExecuteResult | undefined,
): Promise<VerifyResult> {
  const ec2 = ec2Of(env);
  const p = plan.params;
  const { instance } = await readInstance(ec2, p.instanceId);
  const isoId =
    typeof result?.outputs.isolationGroupId === 'string'
      ? result.outputs.isolationGroupId
      : (await findIsolationGroup(ec2, p.isolationGroupName, p.vpcId)).group?.GroupId;
  if (!isoId)
    return {
      ok: false,
      detail: `read-back disagrees: isolation group ${p.isolationGroupName} does not exist in ${p.vpcId}`,
    };
  const problems: string[] = [];
  const parts: NonNullable<VerifyResult['parts']> = [];
  for (const n of interfacesOf(instance)) {
    const inPlace = sameSet(n.groups, [isoId]);
    parts.push({ what: `${n.networkInterfaceId} carries only ${isoId}`, inPlace });
    if (!inPlace) problems.push(`${n.networkInterfaceId} carries [${n.groups.join(', ')}], not only ${isoId}`);
  }
  const { group } = await findIsolationGroup(ec2, p.isolationGroupName, p.vpcId);
  const rules = group ? ruleCount(group) : undefined;
  if (!group || group.GroupId !== isoId) problems.push(`isolation group ${isoId} not found by name in ${p.vpcId}`);
  else if (rules!.ingress || rules!.egress)
    problems.push(`isolation group ${isoId} has ${rules!.ingress} inbound and ${rules!.egress} outbound rules`);
  const tp = await readTerminationProtection(ec2, p.instanceId);
  if (!tp.on) problems.push('termination protection is off');
  parts.push({ what: 'termination protection on', inPlace: tp.on });
  if (problems.length) return { ok: false, detail: `read-back disagrees: ${problems.join('; ')}`, parts };
  return {
    parts,
    ok: true,
    detail: `every interface carries only ${isoId} (no inbound, no outbound rules); termination protection on`,
  };
}

export const isolateInstance = defineAction<IsolateParams>({
  ...actionMeta('aws.isolateInstance'),
  params: isolateParams,
  plan,
  dryRun,
  execute,
  verify,
});
