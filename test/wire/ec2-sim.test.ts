// The EC2 sim speaks the protocol the real client parses: every field the actions read comes back
// through @aws-sdk/client-ec2, errors carry AWS's codes, statuses and request ids, DryRun rehearses.

import {
  AuthorizeSecurityGroupEgressCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotsCommand,
  CreateTagsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2ServiceException,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEc2Sim, type Ec2Sim } from '@firebreak/cloud-sim';
import { ec2Client, VPC, WEB, webServerSeed } from './ec2-harness.js';

let sim: Ec2Sim;
let ec2: EC2Client;
beforeEach(async () => {
  sim = await startEc2Sim(webServerSeed());
  ec2 = ec2Client(sim);
});
afterEach(async () => {
  ec2.destroy();
  await sim.close();
});

async function failure(p: Promise<unknown>): Promise<EC2ServiceException> {
  try {
    await p;
  } catch (e) {
    return e as EC2ServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('EC2 sim over the wire', () => {
  it('DescribeInstances: interfaces with their groups, volumes, tags, state, VPC', async () => {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [WEB] }));
    const i = out.Reservations?.[0]?.Instances?.[0];
    expect(i?.InstanceId).toBe(WEB);
    expect(i?.VpcId).toBe(VPC);
    expect(i?.State).toEqual({ Code: 16, Name: 'running' });
    expect(
      i?.NetworkInterfaces?.map((n) => [
        n.NetworkInterfaceId,
        n.Attachment?.DeviceIndex,
        n.Groups?.map((g) => g.GroupId),
      ]),
    ).toEqual([
      ['eni-0primary000000001', 0, ['sg-0web00000000000001', 'sg-0mgmt0000000000002']],
      ['eni-0second000000002', 1, ['sg-0mgmt0000000000002']],
    ]);
    expect(i?.SecurityGroups?.map((g) => g.GroupName)).toEqual(['web', 'mgmt']);
    expect(i?.BlockDeviceMappings?.map((b) => [b.DeviceName, b.Ebs?.VolumeId])).toEqual([
      ['/dev/xvda', 'vol-0root00000000001'],
      ['/dev/xvdf', 'vol-0data00000000002'],
    ]);
    expect(i?.Tags).toContainEqual({ Key: 'aws:autoscaling:groupName', Value: 'web-asg' });
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const call = sim.recorder.of('DescribeInstances')[0]!;
    expect(call.method).toBe('POST');
    expect(call.params).toMatchObject({ Action: 'DescribeInstances', Version: '2016-11-15', 'InstanceId.1': WEB });
  });

  it('DescribeInstances filters by tag and vpc', async () => {
    const out = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag:Name', Values: ['web-*'] },
          { Name: 'vpc-id', Values: [VPC] },
        ],
      }),
    );
    expect(out.Reservations?.flatMap((r) => r.Instances?.map((i) => i.InstanceId))).toEqual([
      WEB,
      'i-0peer000000000001',
    ]);
  });

  it('NotFound: the code, the message, HTTP 400 and the request id from the header', async () => {
    const e = await failure(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0000000000000dead'] })));
    expect(e.name).toBe('InvalidInstanceID.NotFound');
    expect(e.message).toBe("The instance ID 'i-0000000000000dead' does not exist");
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('DryRun: 412 DryRunOperation and nothing changes', async () => {
    const e = await failure(
      ec2.send(
        new ModifyInstanceAttributeCommand({ InstanceId: WEB, DisableApiTermination: { Value: true }, DryRun: true }),
      ),
    );
    expect(e.name).toBe('DryRunOperation');
    expect(e.message).toBe('Request would have succeeded, but DryRun flag is set.');
    expect(e.$metadata.httpStatusCode).toBe(412);
    expect(sim.world.instances.get(WEB)!.disableApiTermination).toBe(false);
    // A DryRun of an invalid request gets the real error, not DryRunOperation.
    const bad = await failure(
      ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({
          NetworkInterfaceId: 'eni-0nope',
          Groups: ['sg-0web00000000000001'],
          DryRun: true,
        }),
      ),
    );
    expect(bad.name).toBe('InvalidNetworkInterfaceID.NotFound');
  });

  it('injected faults: UnauthorizedOperation 403 even on a dry run, RequestLimitExceeded 503', async () => {
    sim.recorder.fail({
      op: 'CreateSnapshots',
      status: 403,
      code: 'UnauthorizedOperation',
      message: 'You are not authorized to perform this operation.',
    });
    const e = await failure(
      ec2.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: WEB }, DryRun: true })),
    );
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['UnauthorizedOperation', 403]);
    sim.recorder.fail({
      op: 'DescribeVolumes',
      status: 503,
      code: 'RequestLimitExceeded',
      message: 'Request limit exceeded.',
    });
    const t = await failure(ec2.send(new DescribeVolumesCommand({})));
    expect([t.name, t.$metadata.httpStatusCode]).toEqual(['RequestLimitExceeded', 503]);
  });

  it('ModifyInstanceAttribute Groups fails on a multi-interface instance; per interface it works', async () => {
    const e = await failure(
      ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: WEB, Groups: ['sg-0web00000000000001'] })),
    );
    expect(e.name).toBe('InvalidInstanceID');
    expect(e.message).toMatch(/multiple interfaces/);
    await ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({
        NetworkInterfaceId: 'eni-0second000000002',
        Groups: ['sg-0web00000000000001'],
      }),
    );
    expect(sim.world.interfaces.get('eni-0second000000002')!.groupIds).toEqual(['sg-0web00000000000001']);
    const cross = await failure(
      ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({
          NetworkInterfaceId: 'eni-0second000000002',
          Groups: ['sg-0other000000000003'],
        }),
      ),
    );
    expect(cross.name).toBe('InvalidParameter');
  });

  it('termination protection round-trips through DescribeInstanceAttribute', async () => {
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: WEB, DisableApiTermination: { Value: true } }));
    const out = await ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: WEB, Attribute: 'disableApiTermination' }),
    );
    expect(out.InstanceId).toBe(WEB);
    expect(out.DisableApiTermination?.Value).toBe(true);
  });

  it('a new security group has no ingress and the allow-all egress rule; revoking by rule id empties it', async () => {
    const made = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'iso',
        Description: 'isolation',
        VpcId: VPC,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'incident-id', Value: 'INC-1' }] }],
      }),
    );
    expect(made.GroupId).toMatch(/^sg-0[0-9a-f]{16}$/);
    expect(made.Tags).toEqual([{ Key: 'incident-id', Value: 'INC-1' }]);
    const dup = await failure(
      ec2.send(new CreateSecurityGroupCommand({ GroupName: 'iso', Description: 'x', VpcId: VPC })),
    );
    expect(dup.name).toBe('InvalidGroup.Duplicate');

    const byTag = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'tag:incident-id', Values: ['INC-1'] },
          { Name: 'vpc-id', Values: [VPC] },
        ],
      }),
    );
    const g = byTag.SecurityGroups?.[0];
    expect([g?.GroupName, g?.IpPermissions, g?.IpPermissionsEgress]).toEqual([
      'iso',
      [],
      [
        {
          IpProtocol: '-1',
          IpRanges: [{ CidrIp: '0.0.0.0/0' }],
          Ipv6Ranges: [],
          PrefixListIds: [],
          UserIdGroupPairs: [],
        },
      ],
    ]);
    const rules = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [made.GroupId!] }] }),
    );
    expect(rules.SecurityGroupRules?.map((r) => [r.IsEgress, r.IpProtocol, r.CidrIpv4])).toEqual([
      [true, '-1', '0.0.0.0/0'],
    ]);
    const revoked = await ec2.send(
      new RevokeSecurityGroupEgressCommand({
        GroupId: made.GroupId!,
        SecurityGroupRuleIds: [rules.SecurityGroupRules![0]!.SecurityGroupRuleId!],
      }),
    );
    expect(revoked.Return).toBe(true);
    expect(sim.world.groups.get(made.GroupId!)!.rules).toEqual([]);

    const auth = await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: made.GroupId!,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
      }),
    );
    expect(auth.SecurityGroupRules?.[0]).toMatchObject({
      IsEgress: true,
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      CidrIpv4: '10.0.0.0/8',
    });
    await ec2.send(
      new RevokeSecurityGroupEgressCommand({
        GroupId: made.GroupId!,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
      }),
    );
    expect(sim.world.groups.get(made.GroupId!)!.rules).toEqual([]);
    const gone = await failure(
      ec2.send(
        new RevokeSecurityGroupEgressCommand({
          GroupId: made.GroupId!,
          IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        }),
      ),
    );
    expect(gone.name).toBe('InvalidPermission.NotFound');
  });

  it('CreateSnapshots: one per volume, tags at creation plus the volume tags, visible by tag filter', async () => {
    const out = await ec2.send(
      new CreateSnapshotsCommand({
        InstanceSpecification: { InstanceId: WEB },
        CopyTagsFromSource: 'volume',
        Description: 'evidence',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'incident-id', Value: 'INC-1' }] }],
      }),
    );
    expect(out.Snapshots?.map((s) => [s.VolumeId, s.State, s.VolumeSize])).toEqual([
      ['vol-0root00000000001', 'pending', 8],
      ['vol-0data00000000002', 'pending', 100],
    ]);
    expect(out.Snapshots?.[0]?.Tags).toEqual([
      { Key: 'Name', Value: 'web-1-root' },
      { Key: 'incident-id', Value: 'INC-1' },
    ]);
    expect(out.Snapshots?.[0]?.StartTime).toBeInstanceOf(Date);
    sim.world.completeSnapshots();
    const found = await ec2.send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:incident-id', Values: ['INC-1'] }] }),
    );
    expect(found.Snapshots?.map((s) => [s.VolumeId, s.State])).toEqual([
      ['vol-0root00000000001', 'completed'],
      ['vol-0data00000000002', 'completed'],
    ]);
    await ec2.send(
      new CreateTagsCommand({
        Resources: [found.Snapshots![0]!.SnapshotId!],
        Tags: [{ Key: 'custody', Value: 'alice' }],
      }),
    );
    expect(sim.world.snapshots.get(found.Snapshots![0]!.SnapshotId!)!.tags).toContainEqual({
      key: 'custody',
      value: 'alice',
    });
    const vols = await ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [WEB] }] }),
    );
    expect(vols.Volumes?.map((v) => [v.VolumeId, v.Size, v.Attachments?.[0]?.Device])).toEqual([
      ['vol-0root00000000001', 8, '/dev/xvda'],
      ['vol-0data00000000002', 100, '/dev/xvdf'],
    ]);
  });

  it('an unknown filter is InvalidParameterValue; an unknown action InvalidAction', async () => {
    const e = await failure(
      ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })),
    );
    expect([e.name, e.message]).toEqual(['InvalidParameterValue', "The filter 'colour' is invalid"]);
  });
});
