// aws.snapshotVolumes: crash-consistent EBS snapshots of every volume of an instance, in one
// CreateSnapshots call, tagged with the incident and this action's id AT CREATION (that is:
// no untagged window, no second call to fail). The action id tag makes it idempotent: if snapshots
// carrying it exist, they are reported instead of taking more.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshots.html

import { CreateSnapshotsCommand, DescribeSnapshotsCommand, type EC2Client, type Snapshot } from '@aws-sdk/client-ec2';
import { ActionError, awsRequestId } from '../../errors.js';
import type { ActionEnv, ActionPlan, ExecuteResult, Target, VerifyResult } from '../../types.js';
import { ACTION_TAG, ec2Of, INCIDENT_TAG, instanceIdOf, readInstance, rehearse, tagValue } from './common.js';
import { writeAwsEvidence } from './manifest.js';
import { actionMeta } from '../../meta.js';
import { z } from 'zod';
import { defineAction } from '../../define.js';
import { INSTANCE_ID } from '../../target-checks.js';

const snapshotParams = z.strictObject({
  instanceId: z.string().regex(INSTANCE_ID),
  region: z.string(),
  incidentId: z.string().min(1),
  /** The EBS volumes seen at plan time, by device. */
  volumes: z.array(z.strictObject({ volumeId: z.string().min(1), device: z.string() })),
  copyTagsFromSource: z.literal('volume'),
  description: z.string(),
});
type SnapshotParams = z.infer<typeof snapshotParams>;

async function snapshotsTagged(
  ec2: EC2Client,
  key: string,
  value: string,
): Promise<{ snapshots: Snapshot[]; requestIds: string[] }> {
  const out = await ec2.send(
    new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: `tag:${key}`, Values: [value] }] }),
  );
  // The filter narrows the wire; the check here decides. A server or proxy that ignored it would
  // otherwise make every snapshot in the account look like this action's ("already applied").
  const snapshots = (out.Snapshots ?? []).filter((s) => s.Tags?.some((t) => t.Key === key && t.Value === value));
  return { snapshots, requestIds: awsRequestId(out) };
}

async function plan(target: Target, env: ActionEnv): Promise<ActionPlan<SnapshotParams>> {
  const instanceId = instanceIdOf(target);
  const { instance } = await readInstance(ec2Of(env), instanceId);
  const volumes = (instance.BlockDeviceMappings ?? [])
    .filter((b) => b.Ebs?.VolumeId)
    .map((b) => ({ volumeId: b.Ebs!.VolumeId!, device: b.DeviceName ?? '?' }));
  if (volumes.length === 0)
    throw new ActionError(
      `instance ${instanceId} has no EBS volumes to snapshot`,
      'NoVolumes',
      'an instance-store-only instance keeps its disks only while it runs: capture from inside (memory, disk image) before anything stops it',
    );
  const params: SnapshotParams = {
    instanceId,
    region: env.aws?.region ?? '',
    incidentId: env.incidentId,
    volumes,
    copyTagsFromSource: 'volume',
    description: `firebreak evidence ${env.incidentId} ${instanceId}`,
  };
  return {
    params,
    calls: [
      {
        service: 'ec2',
        op: 'DescribeSnapshots',
        summary: `look for snapshots already tagged ${ACTION_TAG}=<this action> (idempotency)`,
        mutating: false,
      },
      {
        service: 'ec2',
        op: 'CreateSnapshots',
        summary: `InstanceSpecification{InstanceId: ${instanceId}}, CopyTagsFromSource: volume, tags at creation ${INCIDENT_TAG}=${env.incidentId} and ${ACTION_TAG}=<this action>`,
        mutating: true,
      },
      {
        service: 'ec2',
        op: 'DescribeSnapshots',
        summary: `read back: one snapshot per volume tagged ${ACTION_TAG}=<this action>`,
        mutating: false,
      },
    ],
    blastRadius: [
      `the instance is not changed: ${volumes.length} point-in-time copies of ${volumes.map((v) => `${v.volumeId} (${v.device})`).join(', ')}`,
      'snapshot storage is billed to this account until the snapshots are deleted after the retention period',
    ],
    warnings: [
      'crash-consistent only: data cached by the OS or applications and not yet written to disk is not in the snapshot',
      'memory is NOT captured: if volatile evidence matters, take memory first — stopping the instance for a cleaner snapshot destroys memory evidence',
      'instance-store volumes are not snapshotted',
      'the snapshots live in the same account: anyone with ec2:DeleteSnapshot there (the attacker too) can delete them — copy them to the evidence account',
    ],
    guidance: [
      'evidence first: memory (if needed), then these snapshots, then isolate — never stop or terminate first',
    ],
  };
}

async function dryRun(target: Target, plan: ActionPlan<SnapshotParams>, env: ActionEnv) {
  const ec2 = ec2Of(env);
  const p = plan.params;
  return rehearse([
    {
      label: `CreateSnapshots ${p.instanceId}`,
      run: () =>
        ec2.send(
          new CreateSnapshotsCommand({
            InstanceSpecification: { InstanceId: p.instanceId },
            CopyTagsFromSource: 'volume',
            DryRun: true,
          }),
        ),
    },
  ]);
}

async function execute(
  target: Target,
  plan: ActionPlan<SnapshotParams>,
  env: ActionEnv,
  token: string,
): Promise<ExecuteResult> {
  const ec2 = ec2Of(env);
  const p = plan.params;
  const existing = await snapshotsTagged(ec2, ACTION_TAG, token);
  const requestIds = [...existing.requestIds];
  let snapshots = existing.snapshots;
  const alreadyApplied = snapshots.length > 0;
  if (!alreadyApplied) {
    const out = await ec2.send(
      new CreateSnapshotsCommand({
        InstanceSpecification: { InstanceId: p.instanceId },
        CopyTagsFromSource: 'volume',
        Description: p.description,
        TagSpecifications: [
          {
            ResourceType: 'snapshot',
            Tags: [
              { Key: INCIDENT_TAG, Value: p.incidentId },
              { Key: ACTION_TAG, Value: token },
            ],
          },
        ],
      }),
    );
    requestIds.push(...awsRequestId(out));
    snapshots = out.Snapshots ?? [];
  }
  const taken = snapshots.map((s) => ({
    snapshotId: s.SnapshotId ?? '',
    volumeId: s.VolumeId ?? '',
    volumeSizeGiB: s.VolumeSize,
    state: s.State,
    startTime: s.StartTime?.toISOString(),
  }));
  const manifest = {
    kind: 'firebreak.ec2-snapshots',
    incidentId: p.incidentId,
    actionId: token,
    account: env.aws?.account,
    region: p.region,
    instanceId: p.instanceId,
    consistency: 'crash-consistent (memory not captured)',
    recordedAt: env.now().toISOString(),
    requestIds,
    snapshots: taken,
  };
  const artifact = await writeAwsEvidence(
    env,
    `${p.instanceId}-snapshots-${token}.json`,
    manifest,
    `aws ec2 CreateSnapshots ${p.region} ${p.instanceId}`,
    `EBS snapshot manifest: ${taken.map((t) => `${t.snapshotId} of ${t.volumeId}`).join(', ')}`,
  );
  return {
    requestIds,
    outputs: {
      actionId: token,
      alreadyApplied,
      snapshots: taken.map(({ snapshotId, volumeId }) => ({ snapshotId, volumeId })),
      manifest: artifact.path,
    },
    message: `${alreadyApplied ? 'already applied: found' : 'started'} ${taken.length} snapshot${taken.length === 1 ? '' : 's'} of ${p.instanceId} (${taken.map((t) => t.snapshotId).join(', ')}), tagged ${INCIDENT_TAG}=${p.incidentId}`,
    evidence: [artifact],
  };
}

async function verify(
  target: Target,
  plan: ActionPlan<SnapshotParams>,
  env: ActionEnv,
  result: ExecuteResult | undefined,
): Promise<VerifyResult> {
  const ec2 = ec2Of(env);
  const p = plan.params;
  const actionId = typeof result?.outputs.actionId === 'string' ? result.outputs.actionId : undefined;
  // In doubt after a crash there is no action id in hand: look for this incident's snapshots of these volumes.
  const { snapshots } = actionId
    ? await snapshotsTagged(ec2, ACTION_TAG, actionId)
    : await snapshotsTagged(ec2, INCIDENT_TAG, p.incidentId);
  const problems: string[] = [];
  for (const v of p.volumes) {
    const mine = snapshots.filter((s) => s.VolumeId === v.volumeId);
    if (mine.length === 0) problems.push(`no snapshot of ${v.volumeId}`);
    else if (actionId && mine.length > 1) problems.push(`${mine.length} snapshots of ${v.volumeId} (expected one)`);
    for (const s of mine) {
      if (tagValue(s, INCIDENT_TAG) !== p.incidentId)
        problems.push(`${s.SnapshotId} lacks ${INCIDENT_TAG}=${p.incidentId}`);
      if (s.State !== 'pending' && s.State !== 'completed')
        problems.push(`${s.SnapshotId} is ${s.State ?? 'in no state'}${s.StateMessage ? `: ${s.StateMessage}` : ''}`);
    }
  }
  if (problems.length) return { ok: false, detail: `read-back disagrees: ${problems.join('; ')}` };
  const states = snapshots
    .filter((s) => p.volumes.some((v) => v.volumeId === s.VolumeId))
    .map((s) => `${s.SnapshotId} ${s.State}`);
  return { ok: true, detail: `one snapshot per volume, tagged ${INCIDENT_TAG}=${p.incidentId}: ${states.join(', ')}` };
}

export const snapshotVolumes = defineAction<SnapshotParams>({
  ...actionMeta('aws.snapshotVolumes'),
  params: snapshotParams,
  plan,
  dryRun,
  execute,
  verify,
});
