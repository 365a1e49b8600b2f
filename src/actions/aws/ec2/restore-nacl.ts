// aws.restoreNacl (undo of aws.naclIsolateInstance): DeleteNetworkAclEntry for exactly the entries
// that isolation added — by ACL, direction and rule number, and only while the entry there is still
// that deny. Entries that were already in place before it, or that someone replaced since, are left
// alone: they are not ours to remove.

import { DeleteNetworkAclEntryCommand } from '@aws-sdk/client-ec2';
import { ActionError, awsRequestId } from '../../errors.js';
import type { ActionEnv, ActionPlan, ExecuteResult, Target, UndoSource, VerifyResult } from '../../types.js';
import { ec2Of, instanceIdOf, rehearse } from './common.js';
import {
  aclById,
  type DenyEntry,
  denyEntry,
  describeEntry,
  direction,
  entryAt,
  isOurDeny,
  readAcls,
} from './network-acl.js';
import { actionMeta } from '../../meta.js';
import { z } from 'zod';
import { defineAction } from '../../define.js';
import { INSTANCE_ID } from '../../target-checks.js';

const restoreNaclParams = z.strictObject({
  instanceId: z.string().regex(INSTANCE_ID),
  undoOf: z.string().min(1),
  entries: z.array(denyEntry),
});
type RestoreNaclParams = z.infer<typeof restoreNaclParams>;

async function plan(target: Target, env: ActionEnv, undoOf?: UndoSource): Promise<ActionPlan<RestoreNaclParams>> {
  const instanceId = instanceIdOf(target);
  if (!undoOf)
    throw new ActionError(
      'removing the deny entries is the undo of the network-ACL isolation: start it from that action',
      'NotAnUndo',
    );
  const recorded = z.object({ added: z.array(denyEntry) }).safeParse(undoOf.outputs);
  if (!recorded.success)
    throw new ActionError(
      'the network-ACL isolation did not record the entries it added: remove them by hand from its plan in the journal',
      'NoPreviousState',
    );
  const added = recorded.data.added;
  if (added.length === 0)
    throw new ActionError(
      'the network-ACL isolation added no entries (they were already in place): nothing of its own to remove',
      'NothingToUndo',
      'remove an earlier deny through the action that added it',
    );
  const entries = added.map(({ networkAclId, egress, ruleNumber, cidrBlock }) => ({
    networkAclId,
    egress,
    ruleNumber,
    cidrBlock,
  }));
  // The ACLs must still exist: DescribeNetworkAcls by id fails with InvalidNetworkAclID.NotFound otherwise.
  const { acls } = await readAcls(ec2Of(env), { ids: [...new Set(entries.map((e) => e.networkAclId))] });
  const gone = entries.filter((e) => !isOurDeny(entryAt(aclById(acls, e.networkAclId), e.egress, e.ruleNumber), e));
  const params: RestoreNaclParams = { instanceId, undoOf: undoOf.actionId, entries };
  return {
    params,
    calls: [
      {
        service: 'ec2',
        op: 'DescribeNetworkAcls',
        summary: 'read: each entry still holds this deny (an entry replaced since is not ours to delete)',
        mutating: false,
      },
      ...entries.map((e) => ({
        service: 'ec2' as const,
        op: 'DeleteNetworkAclEntry',
        summary: `${e.networkAclId} Egress ${e.egress} RuleNumber ${e.ruleNumber} (${describeEntry(e)})`,
        mutating: true,
      })),
      {
        service: 'ec2',
        op: 'DescribeNetworkAcls',
        summary: 'read back: none of these entries remains',
        mutating: false,
      },
    ],
    blastRadius: [
      `${instanceId}: ${[...new Set(entries.map((e) => e.cidrBlock))].join(', ')} cross the subnet edge again wherever the ACL's remaining rules allow — the attacker's too, unless eradicated`,
      ...(gone.length ? [`no longer holding the deny (skipped): ${gone.map(describeEntry).join('; ')}`] : []),
    ],
    warnings: [
      'a security-group isolation (i), if any, stays in place: undo it separately',
      'only the entries this isolation added are deleted; other deny entries in the ACL stay',
    ],
  };
}

async function dryRun(target: Target, plan: ActionPlan<RestoreNaclParams>, env: ActionEnv) {
  const ec2 = ec2Of(env);
  return rehearse(
    plan.params.entries.map((e) => ({
      label: `DeleteNetworkAclEntry ${e.networkAclId} ${direction(e.egress)} ${e.ruleNumber}`,
      run: () =>
        ec2.send(
          new DeleteNetworkAclEntryCommand({
            NetworkAclId: e.networkAclId,
            RuleNumber: e.ruleNumber,
            Egress: e.egress,
            DryRun: true,
          }),
        ),
    })),
  );
}

async function execute(target: Target, plan: ActionPlan<RestoreNaclParams>, env: ActionEnv): Promise<ExecuteResult> {
  const ec2 = ec2Of(env);
  const p = plan.params;
  const read = await readAcls(ec2, { ids: [...new Set(p.entries.map((e) => e.networkAclId))] });
  const requestIds = [...read.requestIds];
  const removed: DenyEntry[] = [];
  const skipped: string[] = [];
  for (const e of p.entries) {
    const now = entryAt(aclById(read.acls, e.networkAclId), e.egress, e.ruleNumber);
    if (!isOurDeny(now, e)) {
      skipped.push(
        `${direction(e.egress)} ${e.ruleNumber} ${now ? `(now ${now.RuleAction} ${now.CidrBlock ?? now.Ipv6CidrBlock}: left alone)` : '(already gone)'}`,
      );
      continue;
    }
    requestIds.push(
      ...awsRequestId(
        await ec2.send(
          new DeleteNetworkAclEntryCommand({
            NetworkAclId: e.networkAclId,
            RuleNumber: e.ruleNumber,
            Egress: e.egress,
          }),
        ),
      ),
    );
    removed.push(e);
  }
  return {
    requestIds,
    outputs: { removed, alreadyApplied: removed.length === 0 },
    message: `${removed.length === 0 ? 'already applied: ' : ''}removed ${removed.length} deny entr${removed.length === 1 ? 'y' : 'ies'} of ${p.instanceId}${removed.length ? ` (${removed.map((e) => `${e.networkAclId} ${direction(e.egress)} ${e.ruleNumber}`).join(', ')})` : ''}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`,
  };
}

async function verify(target: Target, plan: ActionPlan<RestoreNaclParams>, env: ActionEnv): Promise<VerifyResult> {
  const p = plan.params;
  const { acls } = await readAcls(ec2Of(env), { ids: [...new Set(p.entries.map((e) => e.networkAclId))] });
  const left = p.entries.filter((e) => isOurDeny(entryAt(aclById(acls, e.networkAclId), e.egress, e.ruleNumber), e));
  if (left.length)
    return { ok: false, detail: `read-back disagrees: still in place: ${left.map(describeEntry).join('; ')}` };
  return { ok: true, detail: `none of the ${p.entries.length} deny entries remains` };
}

export const restoreNacl = defineAction<RestoreNaclParams>({
  ...actionMeta('aws.restoreNacl'),
  params: restoreNaclParams,
  plan,
  dryRun,
  execute,
  verify,
});
