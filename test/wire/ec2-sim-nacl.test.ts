// The EC2 sim's network ACLs speak the protocol the real client parses: DescribeNetworkAcls with
// entries and associations, its filters, CreateNetworkAclEntry / DeleteNetworkAclEntry with AWS's
// errors, DryRun rehearsing without changing anything — and the drill estate gets a default ACL
// per VPC, so the network-ACL isolation runs there unchanged.

import { join } from 'node:path';
import {
  CreateNetworkAclEntryCommand,
  DeleteNetworkAclEntryCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  EC2ServiceException,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drillCloud, type DrillCloud } from '../../app/commands/drill-cloud.js';
import { startEc2Sim, type Ec2Sim } from '@firebreak/cloud-sim';
import { loadScenario } from '../../src/sources/drill/scenario.js';
import { ActionRunner } from '../../store/action-runner.js';
import { actionStatus } from '../../store/action-selectors.js';
import { newIncident } from '../../store/open.js';
import { tempDir } from '../helpers/tmp.js';
import { ec2Client, VPC, WEB, webServerSeed } from './ec2-harness.js';

const ACL = 'acl-0web0000000000001';
const SUBNET = 'subnet-0123456789abcdef0';

let sim: Ec2Sim;
let ec2: EC2Client;
beforeEach(async () => {
  const seed = webServerSeed();
  seed.instances![0]!.networkInterfaces[1]!.secondaryPrivateIps = ['10.0.0.99'];
  seed.networkAcls = [
    {
      networkAclId: ACL,
      vpcId: VPC,
      subnetIds: [SUBNET],
      tags: { Name: 'web' },
      entries: [
        {
          ruleNumber: 100,
          egress: false,
          protocol: '6',
          ruleAction: 'allow',
          cidrBlock: '0.0.0.0/0',
          portRange: { from: 443, to: 443 },
        },
        { ruleNumber: 100, egress: true, ruleAction: 'allow', cidrBlock: '0.0.0.0/0' },
      ],
    },
  ];
  sim = await startEc2Sim(seed);
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

function entriesOf(id = ACL): string[] {
  return sim.world.networkAcls
    .get(id)!
    .entries.map((e) => `${e.egress ? 'out' : 'in'} ${e.ruleNumber} ${e.ruleAction} ${e.protocol} ${e.cidrBlock}`);
}

describe('EC2 sim network ACLs over the wire', () => {
  it('DescribeNetworkAcls: entries (the * rule as 32767), associations, default flag, tags — as the SDK parses them', async () => {
    const out = await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [ACL] }));
    expect(out.NetworkAcls).toHaveLength(1);
    const acl = out.NetworkAcls![0]!;
    expect(acl).toMatchObject({
      NetworkAclId: ACL,
      VpcId: VPC,
      IsDefault: false,
      OwnerId: '123456789012',
      Tags: [{ Key: 'Name', Value: 'web' }],
    });
    expect(acl.Associations).toEqual([
      {
        NetworkAclAssociationId: expect.stringMatching(/^aclassoc-0[0-9a-f]{16}$/),
        NetworkAclId: ACL,
        SubnetId: SUBNET,
      },
    ]);
    expect(acl.Entries).toEqual([
      { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
      {
        RuleNumber: 100,
        Protocol: '6',
        RuleAction: 'allow',
        Egress: false,
        CidrBlock: '0.0.0.0/0',
        PortRange: { From: 443, To: 443 },
      },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
    ]);
  });

  it('filters: association.subnet-id, network-acl-id, vpc-id, default; the VPC has its own default ACL too', async () => {
    const bySubnet = await ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [SUBNET] }] }),
    );
    expect(bySubnet.NetworkAcls?.map((a) => a.NetworkAclId)).toEqual([ACL]);
    const byVpc = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [VPC] }] }));
    expect(byVpc.NetworkAcls?.map((a) => [a.NetworkAclId?.startsWith('acl-'), a.IsDefault])).toEqual([
      [true, false],
      [true, true],
    ]);
    const dflt = await ec2.send(
      new DescribeNetworkAclsCommand({
        Filters: [
          { Name: 'default', Values: ['true'] },
          { Name: 'vpc-id', Values: [VPC] },
        ],
      }),
    );
    expect(
      dflt.NetworkAcls?.[0]?.Entries?.filter((e) => e.RuleNumber === 100).map((e) => [
        e.Egress,
        e.RuleAction,
        e.CidrBlock,
      ]),
    ).toEqual([
      [true, 'allow', '0.0.0.0/0'],
      [false, 'allow', '0.0.0.0/0'],
    ]);
    // The other VPC of the seed (a security group's) gets a default ACL as well.
    const other = await ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-0ffffffffffffffff'] }] }),
    );
    expect(other.NetworkAcls?.map((a) => a.IsDefault)).toEqual([true]);
    const byId = await ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'network-acl-id', Values: [ACL] }] }),
    );
    expect(byId.NetworkAcls).toHaveLength(1);
    const bad = await failure(ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'nope', Values: ['x'] }] })));
    expect([bad.name, bad.$metadata.httpStatusCode]).toEqual(['InvalidParameterValue', 400]);
    const missing = await failure(
      ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ['acl-0000000000000dead'] })),
    );
    expect([missing.name, missing.message, missing.$metadata.requestId]).toEqual([
      'InvalidNetworkAclID.NotFound',
      "The network ACL 'acl-0000000000000dead' does not exist",
      expect.any(String),
    ]);
  });

  it('DescribeInstances reports every private IP of an interface (primary and secondary), unique across the estate', async () => {
    const out = await ec2.send(new DescribeInstancesCommand({}));
    const ips = out
      .Reservations!.flatMap((r) => r.Instances!)
      .flatMap((i) =>
        i.NetworkInterfaces!.flatMap((n) =>
          n.PrivateIpAddresses!.map((a) => `${a.PrivateIpAddress}${a.Primary ? '' : ' (secondary)'}`),
        ),
      );
    expect(ips).toEqual(['10.0.0.10', '10.0.0.11', '10.0.0.99 (secondary)', '10.0.0.12']);
  });

  it("CreateNetworkAclEntry: canonical CIDR, one rule number per direction, AWS's errors, DryRun changes nothing", async () => {
    const create = (o: { n: number; egress: boolean; cidr?: string; dry?: boolean; acl?: string }) =>
      ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: o.acl ?? ACL,
          RuleNumber: o.n,
          Protocol: '-1',
          RuleAction: 'deny',
          Egress: o.egress,
          CidrBlock: o.cidr ?? '10.0.0.10/32',
          DryRun: o.dry,
        }),
      );
    const dry = await failure(create({ n: 99, egress: false, dry: true }));
    expect([dry.name, dry.$metadata.httpStatusCode]).toEqual(['DryRunOperation', 412]);
    expect(entriesOf()).toHaveLength(4);
    expect((await create({ n: 99, egress: false, cidr: '10.0.0.77/24' })).$metadata.httpStatusCode).toBe(200);
    expect(entriesOf()).toContain('in 99 deny -1 10.0.0.0/24');
    // The same number in the other direction is another rule.
    await create({ n: 99, egress: true });
    const taken = await failure(create({ n: 99, egress: false }));
    expect([taken.name, taken.message]).toEqual([
      'NetworkAclEntryAlreadyExists',
      'The network acl entry identified by 99 already exists.',
    ]);
    // A taken number is refused by a dry run too: DryRun answers what the real call would.
    expect((await failure(create({ n: 99, egress: false, dry: true }))).name).toBe('NetworkAclEntryAlreadyExists');
    for (const n of [0, 32767])
      expect((await failure(create({ n, egress: false }))).name).toBe('InvalidParameterValue');
    expect((await failure(create({ n: 5, egress: false, cidr: '10.0.0.300/32' }))).name).toBe('InvalidParameterValue');
    expect((await failure(create({ n: 5, egress: false, acl: 'acl-0000000000000dead' }))).name).toBe(
      'InvalidNetworkAclID.NotFound',
    );
  });

  it('CreateNetworkAclEntry stops at the quota of 20 entries per direction (the * rule not counted)', async () => {
    for (let n = 1; n <= 19; n++)
      await ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: ACL,
          RuleNumber: n,
          Protocol: '-1',
          RuleAction: 'deny',
          Egress: false,
          CidrBlock: `10.1.${n}.0/24`,
        }),
      );
    const full = await failure(
      ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: ACL,
          RuleNumber: 50,
          Protocol: '-1',
          RuleAction: 'deny',
          Egress: false,
          CidrBlock: '10.2.0.0/16',
        }),
      ),
    );
    expect([full.name, full.$metadata.httpStatusCode]).toEqual(['NetworkAclEntryLimitExceeded', 400]);
    // Outbound has its own quota.
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: ACL,
        RuleNumber: 50,
        Protocol: '-1',
        RuleAction: 'deny',
        Egress: true,
        CidrBlock: '10.2.0.0/16',
      }),
    );
  });

  it('DeleteNetworkAclEntry: by direction and number; InvalidNetworkAclEntry.NotFound; DryRun', async () => {
    const del = (n: number, egress: boolean, dry?: boolean) =>
      ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: ACL, RuleNumber: n, Egress: egress, DryRun: dry }));
    expect((await failure(del(100, false, true))).name).toBe('DryRunOperation');
    expect(entriesOf()).toContain('in 100 allow 6 0.0.0.0/0');
    await del(100, false);
    expect(entriesOf()).toEqual([
      'out 100 allow -1 0.0.0.0/0',
      'in 32767 deny -1 0.0.0.0/0',
      'out 32767 deny -1 0.0.0.0/0',
    ]);
    const gone = await failure(del(100, false));
    expect([gone.name, gone.message]).toEqual([
      'InvalidNetworkAclEntry.NotFound',
      'The network acl entry identified by 100 does not exist.',
    ]);
    expect((await failure(del(32767, true))).name).toBe('InvalidParameterValue');
  });
});

describe('network ACLs in the drill estate', () => {
  let cloud: DrillCloud | undefined;
  let closeJournal: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cloud?.close();
    await closeJournal?.();
  });

  it("INC-2026-042: the instance's subnet uses its VPC's default ACL; the network-ACL isolation runs and is verified, its calls come back in the feed", async () => {
    const scenario = await loadScenario('inc-2026-042');
    const dir = tempDir();
    cloud = drillCloud(scenario, {
      incidentId: scenario.incident.id,
      evidenceDir: join(dir, 'evidence'),
      now: () => new Date('2026-04-20T14:40:00Z'),
      toolVersion: 'firebreak test',
    });
    const { store, journal } = await newIncident(join(dir, 'drill.jsonl'), {
      incidentId: scenario.incident.id,
      title: scenario.incident.title,
      mode: 'drill',
      scenario: scenario.name,
    });
    closeJournal = () => journal!.close();
    const runner = new ActionRunner({ store, mode: 'drill', env: cloud.env, backends: cloud.backends });
    const env = await cloud.env();
    await store.getState().actions.armSession(env.aws!.account, '123456789012');
    const run = async (defId: string) => {
      const target = {
        kind: 'instance' as const,
        id: 'i-0f9e8d7c6b5a43210',
        label: 'orders-api-prod-1',
        scope: 'eu-west-1',
      };
      const id = await runner.plan(defId, target);
      expect((await runner.dryRun(id)).ok).toBe(true);
      await runner.confirm(id, store.getState().state.actions.get(id)!.planned.paramsHash);
      await runner.execute(id);
      return { id, status: actionStatus(store.getState().state.actions.get(id)!, store.getState().meta.loadedSeq) };
    };
    expect((await run('aws.snapshotVolumes')).status).toBe('verified');
    const nacl = await run('aws.naclIsolateInstance');
    expect(nacl.status).toBe('verified');
    const planned = store.getState().state.actions.get(nacl.id)!.planned;
    expect(planned.params).toMatchObject({
      subnets: [{ subnetId: 'subnet-0prod00000000002', cidrs: ['10.20.2.31/32'] }],
    });
    expect(planned.blastRadius.join('\n')).toMatch(/the VPC's default ACL/);
    expect(cloud.drain().map((e) => e.action)).toEqual(
      expect.arrayContaining(['CreateSnapshots', 'CreateNetworkAclEntry']),
    );
  });
});
