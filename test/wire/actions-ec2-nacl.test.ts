// aws.naclIsolateInstance and its undo aws.restoreNacl through the ActionRunner, the real EC2Client
// and the EC2 sim: the exact requests, the rule numbers chosen below the ACL's existing rules, the
// server-side dry run, the evidence guardrail, one entry pair per press, "already applied",
// failures journaled with a hint, verify failing when the ACL changes behind the action, and the
// undo deleting exactly the entries the isolation added.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EC2_ACTIONS } from '../../src/actions/aws/ec2/index.js';
import type { AnyRecord } from '../../src/journal/records.js';
import { type Ec2NetworkAclEntrySeed, type Ec2Seed, startEc2Sim, type Ec2Sim } from '@firebreak/cloud-sim';
import { actionFixture, type ActionFixture } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { ec2Env, VPC, WEB, webServerSeed } from './ec2-harness.js';

const target = { kind: 'instance' as const, id: WEB, label: 'instance web-1' };
const SUBNET = 'subnet-0123456789abcdef0';
const ACL = 'acl-0web0000000000001';
const WEB_IPS = ['10.0.1.10/32', '10.0.1.11/32'];
const MUTATING = ['CreateNetworkAclEntry', 'DeleteNetworkAclEntry'];

/** The web server estate with fixed addresses and a custom ACL on its subnet (inbound 100, 110; outbound 100). */
function naclSeed(entries?: Ec2NetworkAclEntrySeed[]): Ec2Seed {
  const seed = webServerSeed();
  const [web, peer] = seed.instances!;
  web!.networkInterfaces[0]!.privateIp = '10.0.1.10';
  web!.networkInterfaces[1]!.privateIp = '10.0.1.11';
  peer!.networkInterfaces[0]!.privateIp = '10.0.1.20';
  seed.networkAcls = [
    {
      networkAclId: ACL,
      vpcId: VPC,
      subnetIds: [SUBNET, 'subnet-0fedcba9876543210'],
      entries: entries ?? [
        { ruleNumber: 100, egress: false, ruleAction: 'allow', cidrBlock: '10.0.0.0/8' },
        {
          ruleNumber: 110,
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
  return seed;
}

let sim: Ec2Sim;
let fx: ActionFixture;
let dir: string;
async function start(seed: Ec2Seed): Promise<void> {
  dir = tempDir('fb-ec2-nacl-');
  sim = await startEc2Sim(seed);
  fx = await actionFixture(dir, ec2Env(dir, sim), { defs: EC2_ACTIONS, backends: ['aws'] });
}
beforeEach(() => start(naclSeed()));
afterEach(async () => {
  await fx.close();
  await sim.close();
});

function recordsOf(type: string, actionId: string): AnyRecord[] {
  return fx.records().filter((r) => r.type === type && (r.data as { actionId?: string }).actionId === actionId);
}

function callsFrom(n: number): { op: string; params: Record<string, unknown>; status: number }[] {
  return sim.recorder.calls.slice(n).map((c) => {
    const { Action: _a, Version: _v, ...params } = c.params as Record<string, string>;
    return { op: c.op, params, status: c.status };
  });
}

function mutatingCalls(): string[] {
  return sim.recorder.calls
    .filter((c) => MUTATING.includes(c.op) && c.params.DryRun !== 'true')
    .map((c) => `${c.op} ${c.params.Egress === 'true' ? 'out' : 'in'} ${c.params.RuleNumber}`);
}

/** The ACL's entries as [direction, rule, action, cidr], outbound first like describe-network-acls. */
function aclEntries(id = ACL): [string, number, string, string][] {
  return [...sim.world.networkAcls.get(id)!.entries]
    .sort((x, y) => Number(y.egress) - Number(x.egress) || x.ruleNumber - y.ruleNumber)
    .map((e) => [e.egress ? 'out' : 'in', e.ruleNumber, e.ruleAction, e.cidrBlock]);
}

async function confirmed(defId: string): Promise<string> {
  const id = await fx.runner.plan(defId, target);
  await fx.runner.confirm(id, fx.store.getState().state.actions.get(id)!.planned.paramsHash);
  return id;
}

/** Snapshots first (the guardrail), then plans and confirms the network-ACL isolation. */
async function planNacl(): Promise<string> {
  await fx.run('aws.snapshotVolumes', target);
  return confirmed('aws.naclIsolateInstance');
}

type Planned = {
  params: Record<string, unknown>;
  calls: { op: string; summary: string; mutating: boolean }[];
  blastRadius: string[];
  warnings: string[];
  guidance: string[];
};

const DENIES = [
  { networkAclId: ACL, egress: false, ruleNumber: 99, cidrBlock: WEB_IPS[0], present: false },
  { networkAclId: ACL, egress: false, ruleNumber: 98, cidrBlock: WEB_IPS[1], present: false },
  { networkAclId: ACL, egress: true, ruleNumber: 99, cidrBlock: WEB_IPS[0], present: false },
  { networkAclId: ACL, egress: true, ruleNumber: 98, cidrBlock: WEB_IPS[1], present: false },
];
const ADDED = DENIES.map(({ present: _p, ...e }) => e);

describe('aws.naclIsolateInstance over the wire', () => {
  it('plan: the reads, deny entries below the lowest rule each way, subnet blast radius, the warnings', async () => {
    const id = await fx.runner.plan('aws.naclIsolateInstance', target);
    expect(callsFrom(0)).toEqual([
      { op: 'DescribeInstances', params: { 'InstanceId.1': WEB }, status: 200 },
      {
        op: 'DescribeNetworkAcls',
        params: { 'Filter.1.Name': 'association.subnet-id', 'Filter.1.Value.1': SUBNET },
        status: 200,
      },
      { op: 'DescribeInstances', params: { 'Filter.1.Name': 'subnet-id', 'Filter.1.Value.1': SUBNET }, status: 200 },
    ]);
    const p = recordsOf('action.planned', id)[0]!.data as Planned;
    expect(p.params).toEqual({
      instanceId: WEB,
      vpcId: VPC,
      region: 'us-east-1',
      subnets: [{ subnetId: SUBNET, networkAclId: ACL, cidrs: WEB_IPS }],
      entries: DENIES,
    });
    expect(p.calls.map((c) => [c.op, c.mutating])).toEqual([
      ['DescribeNetworkAcls', false],
      ['CreateNetworkAclEntry', true],
      ['CreateNetworkAclEntry', true],
      ['CreateNetworkAclEntry', true],
      ['CreateNetworkAclEntry', true],
      ['DescribeNetworkAcls', false],
    ]);
    expect(p.calls[1]!.summary).toBe(
      `${ACL} inbound rule 99: deny all from 10.0.1.10/32 (Protocol -1, RuleAction deny, Egress false)`,
    );
    const blast = p.blastRadius.join('\n');
    expect(blast).toMatch(/10\.0\.1\.10\/32, 10\.0\.1\.11\/32 .* dropped at once — established connections too/);
    expect(blast).toContain(
      `${ACL} is shared by the whole of ${SUBNET} and 1 other subnet (subnet-0fedcba9876543210): only the /32s above are denied`,
    );
    expect(blast).toContain(`entries in ${ACL}: inbound 2 → 4, outbound 1 → 3 (default quota 20 per direction)`);
    expect(blast).toContain(`1 other instance in ${SUBNET} keeps their traffic`);
    const warnings = p.warnings.join('\n');
    expect(warnings).toMatch(
      /stateless: the deny cuts ESTABLISHED connections at once in both directions.*your own SSM Session Manager or SSH sessions/,
    );
    expect(warnings).toMatch(/does not stop traffic within the instance itself.*not between instances inside it/);
    expect(warnings).toMatch(/cannot block DNS queries to the Route 53 Resolver/);
    expect(warnings).not.toMatch(/NetworkAclEntryLimitExceeded/);
    expect(p.guidance.join('\n')).toMatch(/security-group isolation \(i\).*established/);
    // Planning changed nothing.
    expect(aclEntries()).toEqual([
      ['out', 100, 'allow', '0.0.0.0/0'],
      ['out', 32767, 'deny', '0.0.0.0/0'],
      ['in', 100, 'allow', '10.0.0.0/8'],
      ['in', 110, 'allow', '0.0.0.0/0'],
      ['in', 32767, 'deny', '0.0.0.0/0'],
    ]);
  });

  it("a seed naming no ACL: the subnet uses its VPC's default ACL (allow-all 100, the * rule), denies go to 99 and 98", async () => {
    await fx.close();
    await sim.close();
    await start(webServerSeed());
    const id = await fx.runner.plan('aws.naclIsolateInstance', target);
    const p = recordsOf('action.planned', id)[0]!.data as Planned & {
      params: { subnets: { networkAclId: string }[]; entries: { ruleNumber: number; egress: boolean }[] };
    };
    const acl = p.params.subnets[0]!.networkAclId;
    expect(acl).toMatch(/^acl-0[0-9a-f]{16}$/);
    expect(sim.world.networkAcls.get(acl)).toMatchObject({ vpcId: VPC, isDefault: true });
    expect(aclEntries(acl)).toEqual([
      ['out', 100, 'allow', '0.0.0.0/0'],
      ['out', 32767, 'deny', '0.0.0.0/0'],
      ['in', 100, 'allow', '0.0.0.0/0'],
      ['in', 32767, 'deny', '0.0.0.0/0'],
    ]);
    expect(p.params.entries.map((e) => [e.egress, e.ruleNumber])).toEqual([
      [false, 99],
      [false, 98],
      [true, 99],
      [true, 98],
    ]);
    expect(p.blastRadius.join('\n')).toContain("(the VPC's default ACL)");
  });

  it('the evidence guardrail refuses the deny before a snapshot succeeded, allows it after', async () => {
    const early = await fx.runner.plan('aws.naclIsolateInstance', target);
    const hash = fx.store.getState().state.actions.get(early)!.planned.paramsHash;
    await expect(fx.runner.confirm(early, hash)).rejects.toThrow(/evidence first.*snapshot every ebs volume.*\(s\)/i);
    expect(mutatingCalls()).toEqual([]);
    await fx.run('aws.snapshotVolumes', target);
    await fx.runner.confirm(early, hash);
    expect(await fx.runner.execute(early)).toBe('verified');
  });

  it('execute: one read, the four exact CreateNetworkAclEntry calls, the outputs undo needs, verified by read-back', async () => {
    const id = await planNacl();
    const from = sim.recorder.calls.length;
    expect(await fx.runner.execute(id)).toBe('verified');
    const calls = callsFrom(from);
    const create = (egress: boolean, n: number, cidr: string) => ({
      op: 'CreateNetworkAclEntry',
      params: {
        NetworkAclId: ACL,
        RuleNumber: String(n),
        Protocol: '-1',
        RuleAction: 'deny',
        Egress: String(egress),
        CidrBlock: cidr,
      },
      status: 200,
    });
    expect(calls.slice(0, 5)).toEqual([
      { op: 'DescribeNetworkAcls', params: { 'NetworkAclId.1': ACL }, status: 200 },
      create(false, 99, WEB_IPS[0]!),
      create(false, 98, WEB_IPS[1]!),
      create(true, 99, WEB_IPS[0]!),
      create(true, 98, WEB_IPS[1]!),
    ]);
    // Then only the verify's read, by subnet.
    expect(calls.slice(5)).toEqual([
      {
        op: 'DescribeNetworkAcls',
        params: { 'Filter.1.Name': 'association.subnet-id', 'Filter.1.Value.1': SUBNET },
        status: 200,
      },
    ]);
    expect(aclEntries()).toEqual([
      ['out', 98, 'deny', WEB_IPS[1]],
      ['out', 99, 'deny', WEB_IPS[0]],
      ['out', 100, 'allow', '0.0.0.0/0'],
      ['out', 32767, 'deny', '0.0.0.0/0'],
      ['in', 98, 'deny', WEB_IPS[1]],
      ['in', 99, 'deny', WEB_IPS[0]],
      ['in', 100, 'allow', '10.0.0.0/8'],
      ['in', 110, 'allow', '0.0.0.0/0'],
      ['in', 32767, 'deny', '0.0.0.0/0'],
    ]);
    const s = recordsOf('action.succeeded', id)[0]!.data as {
      outputs: Record<string, unknown>;
      requestIds: string[];
      message: string;
    };
    expect(s.outputs).toEqual({
      actionId: id,
      networkAclIds: [ACL],
      ruleNumbers: [99, 98, 99, 98],
      added: ADDED,
      alreadyApplied: false,
    });
    expect(s.requestIds).toHaveLength(5);
    expect(s.message).toMatch(/^denied 10\.0\.1\.10\/32, 10\.0\.1\.11\/32 of i-0abc1234def567890 at the subnet edge/);
    expect(recordsOf('action.verified', id)[0]!.data).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^4 deny entries in place before every allow rule/),
    });
  });

  it('dry run: DryRun=true on each CreateNetworkAclEntry, all DryRunOperation, the ACL unchanged', async () => {
    const before = aclEntries();
    const id = await fx.runner.plan('aws.naclIsolateInstance', target);
    const from = sim.recorder.calls.length;
    const r = await fx.runner.dryRun(id);
    expect(r).toMatchObject({ kind: 'server', ok: true });
    expect(callsFrom(from).map((c) => [c.op, c.params.RuleNumber, c.params.Egress, c.params.DryRun, c.status])).toEqual(
      [
        ['CreateNetworkAclEntry', '99', 'false', 'true', 412],
        ['CreateNetworkAclEntry', '98', 'false', 'true', 412],
        ['CreateNetworkAclEntry', '99', 'true', 'true', 412],
        ['CreateNetworkAclEntry', '98', 'true', 'true', 412],
      ],
    );
    expect(r.requestIds).toHaveLength(4);
    expect(aclEntries()).toEqual(before);
  });

  it('a dry run against a rule number taken since the plan reports NetworkAclEntryAlreadyExists', async () => {
    const id = await fx.runner.plan('aws.naclIsolateInstance', target);
    sim.world.networkAcls
      .get(ACL)!
      .entries.push({ ruleNumber: 99, egress: false, protocol: '-1', ruleAction: 'deny', cidrBlock: '203.0.113.0/24' });
    const r = await fx.runner.dryRun(id);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(
      /^CreateNetworkAclEntry acl-0web0000000000001 inbound 99 would fail: NetworkAclEntryAlreadyExists.*99 already exists/,
    );
  });

  it('double press: the second execute is refused; AWS saw one entry pair per address', async () => {
    const id = await planNacl();
    await fx.runner.execute(id);
    await expect(fx.runner.execute(id)).rejects.toThrow(/already ran/);
    expect(mutatingCalls()).toEqual([
      'CreateNetworkAclEntry in 99',
      'CreateNetworkAclEntry in 98',
      'CreateNetworkAclEntry out 99',
      'CreateNetworkAclEntry out 98',
    ]);
  });

  it('a second isolation finds the denies in place: "already applied", no mutating call, and no undo of entries it did not add', async () => {
    const first = await planNacl();
    await fx.runner.execute(first);
    const again = await confirmed('aws.naclIsolateInstance');
    const p = recordsOf('action.planned', again)[0]!.data as Planned;
    expect(p.params.entries).toEqual(DENIES.map((e) => ({ ...e, present: true })));
    expect(p.calls.map((c) => c.op)).toEqual(['DescribeNetworkAcls', 'DescribeNetworkAcls']);
    expect(await fx.runner.dryRun(again)).toMatchObject({
      kind: 'simulated',
      ok: true,
      message: expect.stringMatching(/already in place/),
    });
    expect(await fx.runner.execute(again)).toBe('verified');
    expect(mutatingCalls()).toHaveLength(4);
    const s = recordsOf('action.succeeded', again)[0]!.data as {
      message: string;
      outputs: { alreadyApplied: boolean; added: unknown[] };
    };
    expect(s.outputs).toMatchObject({ alreadyApplied: true, added: [] });
    expect(s.message).toMatch(/^already applied/);
    await expect(fx.runner.planUndo(again)).rejects.toThrow(/added no entries/);
  });

  it('rule numbers count down from the lowest existing rule of each direction', async () => {
    await fx.close();
    await sim.close();
    await start(
      naclSeed([
        { ruleNumber: 3, egress: false, ruleAction: 'deny', cidrBlock: '203.0.113.0/24' },
        { ruleNumber: 10, egress: false, ruleAction: 'allow', cidrBlock: '0.0.0.0/0' },
        { ruleNumber: 500, egress: true, ruleAction: 'allow', cidrBlock: '0.0.0.0/0' },
      ]),
    );
    const id = await planNacl();
    const p = recordsOf('action.planned', id)[0]!.data as Planned & {
      params: { entries: { ruleNumber: number; egress: boolean; cidrBlock: string }[] };
    };
    expect(p.params.entries.map((e) => [e.egress ? 'out' : 'in', e.ruleNumber, e.cidrBlock])).toEqual([
      ['in', 2, WEB_IPS[0]],
      ['in', 1, WEB_IPS[1]],
      ['out', 499, WEB_IPS[0]],
      ['out', 498, WEB_IPS[1]],
    ]);
    expect(await fx.runner.execute(id)).toBe('verified');
  });

  it('refuses with a reason when no rule number is free below the lowest rule', async () => {
    await fx.close();
    await sim.close();
    await start(
      naclSeed([
        { ruleNumber: 1, egress: false, ruleAction: 'allow', cidrBlock: '0.0.0.0/0' },
        { ruleNumber: 100, egress: true, ruleAction: 'allow', cidrBlock: '0.0.0.0/0' },
      ]),
    );
    await expect(fx.runner.plan('aws.naclIsolateInstance', target)).rejects.toThrow(
      /no free rule number below 1 in the inbound rules of acl-0web0000000000001.*renumber the ACL/,
    );
    expect(mutatingCalls()).toEqual([]);
  });

  it('warns when the entries would pass the default quota of 20 per direction', async () => {
    await fx.close();
    await sim.close();
    const full = Array.from({ length: 19 }, (_, k) => ({
      ruleNumber: 100 + k,
      egress: false,
      ruleAction: 'allow' as const,
      cidrBlock: `10.${k}.0.0/16`,
    }));
    await start(naclSeed([...full, { ruleNumber: 100, egress: true, ruleAction: 'allow', cidrBlock: '0.0.0.0/0' }]));
    const id = await planNacl();
    const p = recordsOf('action.planned', id)[0]!.data as Planned;
    expect(p.blastRadius.join('\n')).toContain('inbound 19 → 21');
    expect(p.warnings.join('\n')).toMatch(
      /more than 20 inbound rules: CreateNetworkAclEntry fails with NetworkAclEntryLimitExceeded/,
    );
    // The sim enforces it as AWS does: the 21st inbound entry is refused and journaled as a failure;
    // one entry went in first, so the action is PARTIAL (u removes it), not plain failed.
    expect(await fx.runner.execute(id)).toBe('partial');
    // The first inbound entry (the 20th) went in, the second was refused: the failure says what is in the ACL now.
    expect(mutatingCalls()).toEqual(['CreateNetworkAclEntry in 99', 'CreateNetworkAclEntry in 98']);
    expect(recordsOf('action.failed', id)[0]!.data).toMatchObject({
      code: 'NetworkAclEntryLimitExceeded',
      message: expect.stringMatching(
        /limit on the number of rules.*after 1 of 4 entries were created \(inbound 99 in acl-0web0000000000001\): C completes/,
      ),
      hint: expect.stringMatching(/quota/),
      requestIds: [expect.any(String), expect.any(String), expect.any(String)],
    });
  });

  it('the 3rd of 4 entries refused: PARTIAL names what went in; undo removes exactly those, C completes', async () => {
    const before = aclEntries();
    const id = await planNacl();
    sim.recorder.fail({ op: 'CreateNetworkAclEntry', skip: 2, status: 503, code: 'Unavailable', message: 'x' });
    expect(await fx.runner.execute(id)).toBe('partial');
    const a = fx.store.getState().state.actions.get(id)!;
    expect(a.calls.map((c) => c.ok)).toEqual([true, true, false]);
    expect(aclEntries().filter(([, , x]) => x === 'deny')).toHaveLength(4);
    // Undo of the partial action removes the two entries that went in, nothing else.
    const undo = await fx.runner.planUndo(id);
    await fx.runner.confirm(undo, fx.store.getState().state.actions.get(undo)!.planned.paramsHash);
    expect(await fx.runner.execute(undo)).toBe('verified');
    expect(aclEntries()).toEqual(before);
  });

  it('C completes a partial network-ACL isolation with only the missing entries; its undo removes all', async () => {
    const id = await planNacl();
    sim.recorder.fail({ op: 'CreateNetworkAclEntry', skip: 2, status: 503, code: 'Unavailable', message: 'x' });
    expect(await fx.runner.execute(id)).toBe('partial');
    const n = mutatingCalls().length;
    const done = await fx.runner.planComplete(id);
    await fx.runner.confirm(done, fx.store.getState().state.actions.get(done)!.planned.paramsHash);
    expect(await fx.runner.execute(done)).toBe('verified');
    // Two entries were still missing: two more creates, no duplicates of the first two.
    expect(mutatingCalls().length - n).toBe(2);
    const ours = aclEntries().filter(([, r]) => r === 98 || r === 99);
    expect(ours).toHaveLength(4);
    // The completion kept the first attempt's list: its undo removes all four, not only the last two.
    const undo = await fx.runner.planUndo(done);
    await fx.runner.confirm(undo, fx.store.getState().state.actions.get(undo)!.planned.paramsHash);
    expect(await fx.runner.execute(undo)).toBe('verified');
    expect(aclEntries().filter(([, r]) => r === 98 || r === 99)).toEqual([]);
  });

  it.each([
    ['UnauthorizedOperation', 403, 'You are not authorized to perform this operation.', /credentials lack permission/],
    ['RequestLimitExceeded', 503, 'Request limit exceeded.', /rate-limiting/],
  ])(
    '%s on CreateNetworkAclEntry: action.failed with message, hint, request id — never success',
    async (code, status, message, hint) => {
      const id = await planNacl();
      sim.recorder.fail({ op: 'CreateNetworkAclEntry', status, code, message });
      expect(await fx.runner.execute(id)).toBe('failed');
      const f = recordsOf('action.failed', id)[0]!.data as {
        code: string;
        message: string;
        hint: string;
        requestIds: string[];
      };
      expect(f).toMatchObject({ code, message: expect.stringContaining(message), hint: expect.stringMatching(hint) });
      expect(f.requestIds).toHaveLength(1);
      expect(recordsOf('action.succeeded', id)).toHaveLength(0);
      // The refused call was the first and only change attempted: the ACL is as it was.
      expect(mutatingCalls()).toEqual(['CreateNetworkAclEntry in 99']);
      expect(sim.recorder.calls.filter((c) => MUTATING.includes(c.op)).at(-1)!.status).toBe(status);
      // A call was made, so the ACL was read back after the failure: nothing of ours is in it.
      expect(recordsOf('action.verified', id).at(-1)!.data).toMatchObject({ afterFailure: true, ok: false });
      expect(aclEntries().filter(([, , a]) => a === 'deny')).toHaveLength(2);
    },
  );

  it('an ACL deleted since the plan: InvalidNetworkAclID.NotFound from the real read, journaled as a failure with a hint', async () => {
    const id = await planNacl();
    sim.world.networkAcls.delete(ACL);
    expect(await fx.runner.execute(id)).toBe('failed');
    const f = recordsOf('action.failed', id)[0]!.data as {
      code: string;
      message: string;
      hint: string;
      requestIds: string[];
    };
    expect(f).toMatchObject({
      code: 'InvalidNetworkAclID.NotFound',
      message: expect.stringContaining(`The network ACL '${ACL}' does not exist`),
      hint: expect.stringMatching(/target is not there/),
    });
    expect(f.requestIds).toHaveLength(1);
    expect(mutatingCalls()).toEqual([]);
  });

  it('a planned rule number taken since the plan: refused before any entry is created (no half-applied deny)', async () => {
    const id = await planNacl();
    sim.world.networkAcls
      .get(ACL)!
      .entries.push({ ruleNumber: 98, egress: true, protocol: '-1', ruleAction: 'allow', cidrBlock: '192.0.2.0/24' });
    expect(await fx.runner.execute(id)).toBe('failed');
    expect(recordsOf('action.failed', id)[0]!.data).toMatchObject({
      code: 'NetworkAclChanged',
      message: expect.stringMatching(/outbound rule 98 of acl-0web0000000000001 now holds allow -1 192\.0\.2\.0\/24/),
      hint: expect.stringMatching(/re-plan/),
    });
    expect(mutatingCalls()).toEqual([]);
  });

  it.each([
    [
      'an entry deleted behind the action',
      (s: Ec2Sim) =>
        void s.world.networkAcls.get(ACL)!.entries.splice(
          s.world.networkAcls.get(ACL)!.entries.findIndex((e) => e.egress && e.ruleNumber === 98),
          1,
        ),
      /outbound rule 98 of acl-0web0000000000001 is missing, expected deny all 10\.0\.1\.11\/32/,
    ],
    [
      'an allow rule added before the denies',
      (s: Ec2Sim) =>
        void s.world.networkAcls
          .get(ACL)!
          .entries.push({ ruleNumber: 50, egress: false, protocol: '-1', ruleAction: 'allow', cidrBlock: '0.0.0.0/0' }),
      /inbound rule 99 of acl-0web0000000000001 comes after allow rule 50/,
    ],
    [
      'the subnet moved to another ACL',
      (s: Ec2Sim) => {
        const acl = s.world.networkAcls.get(ACL)!;
        acl.associations = acl.associations.filter((x) => x.subnetId !== SUBNET);
        [...s.world.networkAcls.values()]
          .find((a) => a.isDefault)!
          .associations.push({ associationId: 'aclassoc-0moved000000000001', subnetId: SUBNET });
      },
      /subnet-0123456789abcdef0 is associated with acl-0[0-9a-f]{16}, not acl-0web0000000000001/,
    ],
  ])('verify fails when the read-back disagrees: %s', async (_, tamper, detail) => {
    const id = await planNacl();
    expect(await fx.runner.execute(id)).toBe('verified');
    tamper(sim);
    expect(await fx.runner.reverify(id)).toBe('verify-failed');
    expect(recordsOf('action.verified', id).at(-1)!.data).toMatchObject({
      ok: false,
      detail: expect.stringMatching(detail),
    });
  });

  it('undo: restoreNacl deletes exactly the entries the isolation added, leaves every other entry', async () => {
    const id = await planNacl();
    await fx.runner.execute(id);
    // Someone else's deny, added by hand after the isolation: not the undo's to remove.
    sim.world.networkAcls.get(ACL)!.entries.push({
      ruleNumber: 97,
      egress: false,
      protocol: '-1',
      ruleAction: 'deny',
      cidrBlock: '198.51.100.7/32',
    });
    const undo = await fx.runner.planUndo(id);
    const p = recordsOf('action.planned', undo)[0]!.data as Planned & { action: string; undoOf: string };
    expect(p).toMatchObject({
      action: 'aws.restoreNacl',
      undoOf: id,
      params: { instanceId: WEB, undoOf: id, entries: ADDED },
    });
    expect(p.calls.filter((c) => c.mutating).map((c) => c.summary)).toEqual([
      `${ACL} Egress false RuleNumber 99 (${ACL} inbound rule 99: deny all from 10.0.1.10/32)`,
      `${ACL} Egress false RuleNumber 98 (${ACL} inbound rule 98: deny all from 10.0.1.11/32)`,
      `${ACL} Egress true RuleNumber 99 (${ACL} outbound rule 99: deny all to 10.0.1.10/32)`,
      `${ACL} Egress true RuleNumber 98 (${ACL} outbound rule 98: deny all to 10.0.1.11/32)`,
    ]);

    const from = sim.recorder.calls.length;
    expect(await fx.runner.dryRun(undo)).toMatchObject({ kind: 'server', ok: true });
    expect(callsFrom(from).map((c) => [c.op, c.params.DryRun, c.status])).toEqual(
      Array(4).fill(['DeleteNetworkAclEntry', 'true', 412]),
    );
    expect(aclEntries().filter(([, , a]) => a === 'deny')).toHaveLength(7);

    await fx.runner.confirm(undo, fx.store.getState().state.actions.get(undo)!.planned.paramsHash);
    const at = sim.recorder.calls.length;
    expect(await fx.runner.execute(undo)).toBe('verified');
    expect(callsFrom(at).filter((c) => MUTATING.includes(c.op))).toEqual(
      ADDED.map((e) => ({
        op: 'DeleteNetworkAclEntry',
        params: { NetworkAclId: ACL, RuleNumber: String(e.ruleNumber), Egress: String(e.egress) },
        status: 200,
      })),
    );
    expect(aclEntries()).toEqual([
      ['out', 100, 'allow', '0.0.0.0/0'],
      ['out', 32767, 'deny', '0.0.0.0/0'],
      ['in', 97, 'deny', '198.51.100.7/32'],
      ['in', 100, 'allow', '10.0.0.0/8'],
      ['in', 110, 'allow', '0.0.0.0/0'],
      ['in', 32767, 'deny', '0.0.0.0/0'],
    ]);
    expect(recordsOf('action.verified', undo).at(-1)!.data).toMatchObject({
      ok: true,
      detail: 'none of the 4 deny entries remains',
    });

    // The undo's own read-back fails if a deny comes back behind it.
    sim.world.networkAcls
      .get(ACL)!
      .entries.push({ ruleNumber: 99, egress: true, protocol: '-1', ruleAction: 'deny', cidrBlock: WEB_IPS[0]! });
    expect(await fx.runner.reverify(undo)).toBe('verify-failed');
    expect(recordsOf('action.verified', undo).at(-1)!.data).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/still in place: acl-0web0000000000001 outbound rule 99/),
    });
  });

  it('undo skips an entry replaced since the isolation (not ours) and one already gone', async () => {
    const id = await planNacl();
    await fx.runner.execute(id);
    const acl = sim.world.networkAcls.get(ACL)!;
    acl.entries = acl.entries.filter((e) => !(e.ruleNumber === 98 && !e.egress));
    acl.entries.find((e) => e.ruleNumber === 98 && e.egress)!.ruleAction = 'allow';
    const undo = await fx.runner.planUndo(id);
    await fx.runner.confirm(undo, fx.store.getState().state.actions.get(undo)!.planned.paramsHash);
    expect(await fx.runner.execute(undo)).toBe('verified');
    expect(mutatingCalls().slice(4)).toEqual(['DeleteNetworkAclEntry in 99', 'DeleteNetworkAclEntry out 99']);
    const s = recordsOf('action.succeeded', undo)[0]!.data as { message: string };
    expect(s.message).toMatch(
      /removed 2 deny entries.*skipped inbound 98 \(already gone\), outbound 98 \(now allow 10\.0\.1\.11\/32: left alone\)/,
    );
    expect(acl.entries.some((e) => e.egress && e.ruleNumber === 98 && e.ruleAction === 'allow')).toBe(true);
  });

  it('is offered for an instance with key n; restoreNacl only as an undo', () => {
    expect(fx.runner.offered('instance').map((d) => [d.id, d.key])).toEqual([
      ['aws.snapshotVolumes', 's'],
      ['aws.isolateInstance', 'i'],
      ['aws.naclIsolateInstance', 'n'],
    ]);
  });
});
