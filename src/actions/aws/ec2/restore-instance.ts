// aws.restoreInstance (undo of aws.isolateInstance): puts each interface's previous security groups
// back and the previous termination protection. The isolation group is left in place — other
// instances of the incident may use it, and it is evidence of what was done; delete it when the
// incident closes.

import {
  DescribeSecurityGroupsCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
} from '@aws-sdk/client-ec2';
import { ActionError, awsRequestId } from '../../errors.js';
import type { ActionEnv, ActionPlan, ExecuteResult, Target, UndoSource, VerifyResult } from '../../types.js';
import {
  ec2Of,
  instanceIdOf,
  readInstance,
  readTerminationProtection,
  rehearse,
  sameSet,
  type Rehearsal,
} from './common.js';
import { interfaceGroups } from './isolate-instance.js';
import { actionMeta } from '../../meta.js';
import { z } from 'zod';
import { defineAction } from '../../define.js';
import { INSTANCE_ID } from '../../target-checks.js';

const restoreParams = z.strictObject({
  instanceId: z.string().regex(INSTANCE_ID),
  undoOf: z.string().min(1),
  isolationGroupId: z.string().min(1),
  interfaces: z.array(interfaceGroups),
  terminationProtection: z.boolean(),
});
type RestoreParams = z.infer<typeof restoreParams>;

/** What aws.isolateInstance recorded in its outputs: the state to put back. */
const isolationOutputs = z.object({
  previousGroups: z.array(interfaceGroups),
  isolationGroupId: z.string().min(1),
  previousTerminationProtection: z.boolean(),
});

async function plan(target: Target, env: ActionEnv, undoOf?: UndoSource): Promise<ActionPlan<RestoreParams>> {
  const instanceId = instanceIdOf(target);
  if (!undoOf) throw new ActionError('restoring is the undo of an isolation: start it from that action', 'NotAnUndo');
  const recorded = isolationOutputs.safeParse(undoOf.outputs);
  if (!recorded.success)
    throw new ActionError(
      'the isolation did not record the previous groups: restore them by hand from its plan in the journal',
      'NoPreviousState',
    );
  const { previousGroups: prev, isolationGroupId: iso, previousTerminationProtection } = recorded.data;
  const ec2 = ec2Of(env);
  const { instance } = await readInstance(ec2, instanceId);
  const present = new Set((instance.NetworkInterfaces ?? []).map((n) => n.NetworkInterfaceId));
  const interfaces = prev.filter((n) => present.has(n.networkInterfaceId));
  const gone = prev.filter((n) => !present.has(n.networkInterfaceId)).map((n) => n.networkInterfaceId);
  // The previous groups must still exist: DescribeSecurityGroups fails with InvalidGroup.NotFound otherwise.
  const groups = [...new Set(interfaces.flatMap((n) => n.groups))];
  if (groups.length) await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: groups }));
  const params: RestoreParams = {
    instanceId,
    undoOf: undoOf.actionId,
    isolationGroupId: iso,
    interfaces,
    terminationProtection: previousTerminationProtection,
  };
  return {
    params,
    calls: [
      ...interfaces.map((n) => ({
        service: 'ec2' as const,
        op: 'ModifyNetworkInterfaceAttribute',
        summary: `${n.networkInterfaceId}: Groups → [${n.groups.join(', ')}]`,
        mutating: true,
      })),
      {
        service: 'ec2',
        op: 'ModifyInstanceAttribute',
        summary: `${instanceId} DisableApiTermination=${params.terminationProtection} (as before the isolation)`,
        mutating: true,
      },
    ],
    blastRadius: [
      `${instanceId} is reachable again through ${groups.join(', ') || 'no groups'}: every path those rules allow — the attacker's too, unless eradicated`,
      ...(gone.length ? [`interfaces no longer attached are skipped: ${gone.join(', ')}`] : []),
    ],
    warnings: [
      `the isolation group ${iso} is left in place (other instances may use it; it records what was done): delete it when the incident closes`,
      ...(params.terminationProtection
        ? []
        : ['termination protection goes back off: the instance can be terminated again']),
    ],
  };
}

async function dryRun(target: Target, plan: ActionPlan<RestoreParams>, env: ActionEnv) {
  const ec2 = ec2Of(env);
  const p = plan.params;
  const steps: Rehearsal[] = p.interfaces.map((n) => ({
    label: `ModifyNetworkInterfaceAttribute ${n.networkInterfaceId}`,
    run: () =>
      ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({
          NetworkInterfaceId: n.networkInterfaceId,
          Groups: n.groups,
          DryRun: true,
        }),
      ),
  }));
  steps.push({
    label: `ModifyInstanceAttribute ${p.instanceId}`,
    run: () =>
      ec2.send(
        new ModifyInstanceAttributeCommand({
          InstanceId: p.instanceId,
          DisableApiTermination: { Value: p.terminationProtection },
          DryRun: true,
        }),
      ),
  });
  return rehearse(steps);
}

async function execute(target: Target, plan: ActionPlan<RestoreParams>, env: ActionEnv): Promise<ExecuteResult> {
  const ec2 = ec2Of(env);
  const p = plan.params;
  const read = await readInstance(ec2, p.instanceId);
  const tp = await readTerminationProtection(ec2, p.instanceId);
  const requestIds = [...read.requestIds, ...tp.requestIds];
  const now = new Map(
    (read.instance.NetworkInterfaces ?? []).map((n) => [n.NetworkInterfaceId, (n.Groups ?? []).map((g) => g.GroupId!)]),
  );
  let changes = 0;
  for (const n of p.interfaces) {
    const current = now.get(n.networkInterfaceId);
    if (!current || sameSet(current, n.groups)) continue;
    requestIds.push(
      ...awsRequestId(
        await ec2.send(
          new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: n.networkInterfaceId, Groups: n.groups }),
        ),
      ),
    );
    changes++;
  }
  if (tp.on !== p.terminationProtection) {
    requestIds.push(
      ...awsRequestId(
        await ec2.send(
          new ModifyInstanceAttributeCommand({
            InstanceId: p.instanceId,
            DisableApiTermination: { Value: p.terminationProtection },
          }),
        ),
      ),
    );
    changes++;
  }
  return {
    requestIds,
    outputs: { restored: p.interfaces, terminationProtection: p.terminationProtection, alreadyApplied: changes === 0 },
    message: `${changes === 0 ? 'already applied: ' : ''}${p.instanceId} carries its previous groups again (${p.interfaces.map((n) => `${n.networkInterfaceId}: ${n.groups.join(', ')}`).join('; ')}); termination protection ${p.terminationProtection ? 'on' : 'off'}. Isolation group ${p.isolationGroupId} left in place`,
  };
}

async function verify(target: Target, plan: ActionPlan<RestoreParams>, env: ActionEnv): Promise<VerifyResult> {
  const ec2 = ec2Of(env);
  const p = plan.params;
  const { instance } = await readInstance(ec2, p.instanceId);
  const now = new Map(
    (instance.NetworkInterfaces ?? []).map((n) => [n.NetworkInterfaceId, (n.Groups ?? []).map((g) => g.GroupId!)]),
  );
  const problems: string[] = [];
  for (const n of p.interfaces) {
    const current = now.get(n.networkInterfaceId) ?? [];
    if (!sameSet(current, n.groups))
      problems.push(`${n.networkInterfaceId} carries [${current.join(', ')}], expected [${n.groups.join(', ')}]`);
  }
  const tp = await readTerminationProtection(ec2, p.instanceId);
  if (tp.on !== p.terminationProtection)
    problems.push(
      `termination protection is ${tp.on ? 'on' : 'off'}, expected ${p.terminationProtection ? 'on' : 'off'}`,
    );
  if (problems.length) return { ok: false, detail: `read-back disagrees: ${problems.join('; ')}` };
  return {
    ok: true,
    detail: `previous groups back on ${p.interfaces.length} interface(s); termination protection ${p.terminationProtection ? 'on' : 'off'}`,
  };
}

export const restoreInstance = defineAction<RestoreParams>({
  ...actionMeta('aws.restoreInstance'),
  params: restoreParams,
  plan,
  dryRun,
  execute,
  verify,
});
