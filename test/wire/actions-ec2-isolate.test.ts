// aws.isolateInstance and its undo aws.restoreInstance through the ActionRunner, the real EC2Client
// and the EC2 sim: the exact requests in order, the server-side dry run, the evidence guardrail,
// one mutating call each per press, "already applied", failures journaled, verify failing when the
// sim's state changes behind the action, and the undo putting the previous groups back.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EC2_ACTIONS } from '../../src/actions/aws/ec2/index.js';
import type { AnyRecord } from '../../src/journal/records.js';
import { startEc2Sim, type Ec2Sim } from '@firebreak/cloud-sim';
import { actionFixture, TEST_INCIDENT, type ActionFixture } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { ec2Env, VPC, WEB, webServerSeed } from './ec2-harness.js';

const target = { kind: 'instance' as const, id: WEB, label: 'instance web-1' };
const ISO_NAME = `firebreak-isolation-${TEST_INCIDENT}`;
const PREVIOUS = [
  { networkInterfaceId: 'eni-0primary000000001', groups: ['sg-0web00000000000001', 'sg-0mgmt0000000000002'] },
  { networkInterfaceId: 'eni-0second000000002', groups: ['sg-0mgmt0000000000002'] },
];
const MUTATING = [
  'CreateSecurityGroup',
  'RevokeSecurityGroupEgress',
  'RevokeSecurityGroupIngress',
  'ModifyInstanceAttribute',
  'ModifyNetworkInterfaceAttribute',
];

let sim: Ec2Sim;
let fx: ActionFixture;
beforeEach(async () => {
  const dir = tempDir('fb-ec2-iso-');
  sim = await startEc2Sim(webServerSeed());
  fx = await actionFixture(dir, ec2Env(dir, sim), { defs: EC2_ACTIONS, backends: ['aws'] });
});
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
  return sim.recorder.calls.filter((c) => MUTATING.includes(c.op) && c.params.DryRun !== 'true').map((c) => c.op);
}

/** Snapshots first (the guardrail), then plans and confirms the isolation; resolves with its id. */
async function planIsolation(): Promise<string> {
  await fx.run('aws.snapshotVolumes', target);
  const id = await fx.runner.plan('aws.isolateInstance', target);
  await fx.runner.confirm(id, fx.store.getState().state.actions.get(id)!.planned.paramsHash);
  return id;
}

function isolationGroupId(): string {
  return [...sim.world.groups.values()].find((g) => g.groupName === ISO_NAME)!.groupId;
}

/** Runs the isolation with the second interface answering 503: one interface isolated, PARTIAL. */
async function halfIsolated(): Promise<string> {
  const id = await planIsolation();
  sim.recorder.fail({
    op: 'ModifyNetworkInterfaceAttribute',
    skip: 1,
    status: 503,
    code: 'Unavailable',
    message: 'The service is unavailable.',
  });
  expect(await fx.runner.execute(id)).toBe('partial');
  return id;
}

/** Plans, confirms and runs the undo of `id`; both interfaces must have their original groups back. */
async function undoRestoresBoth(id: string): Promise<void> {
  const undo = await fx.runner.planUndo(id);
  await fx.runner.confirm(undo, fx.store.getState().state.actions.get(undo)!.planned.paramsHash);
  expect(await fx.runner.execute(undo)).toBe('verified');
  expect(sim.world.interfaces.get('eni-0primary000000001')!.groupIds).toEqual(PREVIOUS[0]!.groups);
  expect(sim.world.interfaces.get('eni-0second000000002')!.groupIds).toEqual(PREVIOUS[1]!.groups);
}

describe('aws.isolateInstance over the wire', () => {
  it('plan: the reads, the calls, ASG / load balancer / shared-group blast radius, the warnings', async () => {
    const id = await fx.runner.plan('aws.isolateInstance', target);
    expect(callsFrom(0).map((c) => c.op)).toEqual([
      'DescribeInstances',
      'DescribeInstanceAttribute',
      'DescribeSecurityGroups',
      'DescribeInstances',
    ]);
    const p = recordsOf('action.planned', id)[0]!.data as {
      params: Record<string, unknown>;
      calls: { op: string; mutating: boolean }[];
      blastRadius: string[];
      warnings: string[];
      guidance: string[];
    };
    expect(p.params).toEqual({
      instanceId: WEB,
      vpcId: VPC,
      region: 'us-east-1',
      incidentId: TEST_INCIDENT,
      isolationGroupName: ISO_NAME,
      isolationGroupId: null,
      interfaces: PREVIOUS,
      terminationProtection: true,
    });
    expect(p.calls.map((c) => c.op)).toEqual([
      'CreateSecurityGroup',
      'DescribeSecurityGroupRules',
      'RevokeSecurityGroupEgress',
      'DescribeSecurityGroups',
      'ModifyInstanceAttribute',
      'ModifyNetworkInterfaceAttribute',
      'ModifyNetworkInterfaceAttribute',
    ]);
    const blast = p.blastRadius.join('\n');
    expect(blast).toMatch(/Auto Scaling group web-asg.*terminate or replace.*Standby/);
    expect(blast).toMatch(/load balancer membership is not visible.*target groups/);
    expect(blast).toMatch(/1 other instance shares the previous groups.*unaffected/);
    expect(p.warnings.join('\n')).toMatch(/tracked connections SURVIVE.*5 days.*network ACL/);
    expect(p.warnings.join('\n')).toMatch(/offer the network-ACL step: aws\.naclIsolateInstance \(key n\)/);
    expect(p.warnings.join('\n')).toMatch(/untracked flows .* drop at once/);
    expect(p.guidance.join('\n')).toMatch(/isolate, never terminate first/);
  });

  it('the evidence guardrail refuses isolation before a snapshot succeeded, allows it after', async () => {
    const early = await fx.runner.plan('aws.isolateInstance', target);
    const hash = fx.store.getState().state.actions.get(early)!.planned.paramsHash;
    await expect(fx.runner.confirm(early, hash)).rejects.toThrow(/evidence first.*snapshot every ebs volume.*\(s\)/i);
    // A failed snapshot does not count as evidence.
    sim.recorder.fail({
      op: 'CreateSnapshots',
      status: 503,
      code: 'RequestLimitExceeded',
      message: 'Request limit exceeded.',
    });
    await fx.run('aws.snapshotVolumes', target);
    await expect(fx.runner.confirm(early, hash)).rejects.toThrow(/evidence first/);
    await fx.run('aws.snapshotVolumes', target);
    await fx.runner.confirm(early, hash);
    expect(await fx.runner.execute(early)).toBe('verified');
  });

  it('execute: the exact calls in order, the outputs undo needs, verified by read-back', async () => {
    const id = await planIsolation();
    const from = sim.recorder.calls.length;
    expect(await fx.runner.execute(id)).toBe('verified');
    const iso = isolationGroupId();
    const calls = callsFrom(from);
    const execute = calls.slice(0, 10);
    expect(execute).toEqual([
      { op: 'DescribeInstances', params: { 'InstanceId.1': WEB }, status: 200 },
      { op: 'DescribeInstanceAttribute', params: { InstanceId: WEB, Attribute: 'disableApiTermination' }, status: 200 },
      {
        op: 'DescribeSecurityGroups',
        params: {
          'Filter.1.Name': 'group-name',
          'Filter.1.Value.1': ISO_NAME,
          'Filter.2.Name': 'vpc-id',
          'Filter.2.Value.1': VPC,
        },
        status: 200,
      },
      {
        op: 'CreateSecurityGroup',
        params: {
          GroupName: ISO_NAME,
          GroupDescription: `firebreak isolation for ${TEST_INCIDENT}: no inbound, no outbound`,
          VpcId: VPC,
          'TagSpecification.1.ResourceType': 'security-group',
          'TagSpecification.1.Tag.1.Key': 'incident-id',
          'TagSpecification.1.Tag.1.Value': TEST_INCIDENT,
          'TagSpecification.1.Tag.2.Key': 'firebreak-action-id',
          'TagSpecification.1.Tag.2.Value': id,
        },
        status: 200,
      },
      {
        op: 'DescribeSecurityGroupRules',
        params: { 'Filter.1.Name': 'group-id', 'Filter.1.Value.1': iso },
        status: 200,
      },
      {
        op: 'RevokeSecurityGroupEgress',
        params: { GroupId: iso, 'SecurityGroupRuleId.1': expect.stringMatching(/^sgr-0[0-9a-f]{16}$/) },
        status: 200,
      },
      { op: 'DescribeSecurityGroups', params: { 'GroupId.1': iso }, status: 200 },
      {
        op: 'ModifyInstanceAttribute',
        params: { InstanceId: WEB, 'DisableApiTermination.Value': 'true' },
        status: 200,
      },
      {
        op: 'ModifyNetworkInterfaceAttribute',
        params: { NetworkInterfaceId: 'eni-0primary000000001', 'SecurityGroupId.1': iso },
        status: 200,
      },
      {
        op: 'ModifyNetworkInterfaceAttribute',
        params: { NetworkInterfaceId: 'eni-0second000000002', 'SecurityGroupId.1': iso },
        status: 200,
      },
    ]);
    // Then only reads (the verify).
    expect(calls.slice(10).every((c) => c.op.startsWith('Describe'))).toBe(true);

    expect(sim.world.interfaces.get('eni-0primary000000001')!.groupIds).toEqual([iso]);
    expect(sim.world.interfaces.get('eni-0second000000002')!.groupIds).toEqual([iso]);
    expect(sim.world.groups.get(iso)!.rules).toEqual([]);
    expect(sim.world.instances.get(WEB)!.disableApiTermination).toBe(true);
    // The peer instance keeps the web group.
    expect(sim.world.interfaces.get('eni-0peer0000000000001')!.groupIds).toEqual(['sg-0web00000000000001']);

    const s = recordsOf('action.succeeded', id)[0]!.data as { outputs: Record<string, unknown>; requestIds: string[] };
    expect(s.outputs).toMatchObject({
      isolationGroupId: iso,
      createdGroup: true,
      previousGroups: PREVIOUS,
      previousTerminationProtection: false,
      alreadyApplied: false,
    });
    expect(s.requestIds).toHaveLength(10);
    expect(recordsOf('action.verified', id)[0]!.data).toMatchObject({ ok: true });
  });

  it('dry run: DryRun=true on every mutating call, all DryRunOperation, nothing changed', async () => {
    const id = await fx.runner.plan('aws.isolateInstance', target);
    const from = sim.recorder.calls.length;
    const r = await fx.runner.dryRun(id);
    expect(r).toMatchObject({ kind: 'server', ok: true });
    const calls = callsFrom(from);
    expect(calls.map((c) => [c.op, c.params.DryRun, c.status])).toEqual([
      ['CreateSecurityGroup', 'true', 412],
      ['ModifyInstanceAttribute', 'true', 412],
      ['ModifyNetworkInterfaceAttribute', 'true', 412],
      ['ModifyNetworkInterfaceAttribute', 'true', 412],
    ]);
    expect(r.requestIds).toHaveLength(4);
    expect([...sim.world.groups.values()].some((g) => g.groupName === ISO_NAME)).toBe(false);
    expect(sim.world.interfaces.get('eni-0primary000000001')!.groupIds).toEqual(PREVIOUS[0]!.groups);
    expect(sim.world.instances.get(WEB)!.disableApiTermination).toBe(false);
  });

  it('double press: the second execute is refused; AWS saw one of each mutating call', async () => {
    const id = await planIsolation();
    await fx.runner.execute(id);
    await expect(fx.runner.execute(id)).rejects.toThrow(/already ran/);
    expect(mutatingCalls()).toEqual([
      'CreateSecurityGroup',
      'RevokeSecurityGroupEgress',
      'ModifyInstanceAttribute',
      'ModifyNetworkInterfaceAttribute',
      'ModifyNetworkInterfaceAttribute',
    ]);
  });

  it('a second isolation of an isolated instance is "already applied" with no mutating call', async () => {
    await fx.runner.execute(await planIsolation());
    const before = mutatingCalls().length;
    const again = await fx.runner.plan('aws.isolateInstance', target);
    await fx.runner.confirm(again, fx.store.getState().state.actions.get(again)!.planned.paramsHash);
    expect(await fx.runner.execute(again)).toBe('verified');
    expect(mutatingCalls()).toHaveLength(before);
    const s = recordsOf('action.succeeded', again)[0]!.data as {
      message: string;
      outputs: { alreadyApplied: boolean };
    };
    expect(s.outputs.alreadyApplied).toBe(true);
    expect(s.message).toMatch(/^already applied/);
  });

  it('an existing isolation group that gained a rule is emptied before any interface moves', async () => {
    const id = await planIsolation();
    await fx.runner.execute(id);
    const iso = isolationGroupId();
    sim.world.addRule(iso, false, { protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' });
    sim.world.interfaces.get('eni-0second000000002')!.groupIds = ['sg-0mgmt0000000000002'];
    const again = await fx.runner.plan('aws.isolateInstance', target);
    await fx.runner.confirm(again, fx.store.getState().state.actions.get(again)!.planned.paramsHash);
    const from = sim.recorder.calls.length;
    expect(await fx.runner.execute(again)).toBe('verified');
    expect(
      callsFrom(from)
        .map((c) => c.op)
        .filter((op) => MUTATING.includes(op)),
    ).toEqual(['RevokeSecurityGroupIngress', 'ModifyNetworkInterfaceAttribute']);
    expect(sim.world.groups.get(iso)!.rules).toEqual([]);
  });

  it.each([
    ['UnauthorizedOperation', 403, 'You are not authorized to perform this operation.', /credentials lack permission/],
    ['InvalidInstanceID.NotFound', 400, `The instance ID '${WEB}' does not exist`, /target is not there/],
    ['RequestLimitExceeded', 503, 'Request limit exceeded.', /rate-limiting/],
  ])(
    '%s on ModifyNetworkInterfaceAttribute: action.failed with message, hint, request id — never success',
    async (code, status, message, hint) => {
      const id = await planIsolation();
      sim.recorder.fail({ op: 'ModifyNetworkInterfaceAttribute', status, code, message });
      // Termination protection went on before the refused call: partial, read back at once.
      expect(await fx.runner.execute(id)).toBe('partial');
      const f = recordsOf('action.failed', id)[0]!.data as {
        code: string;
        message: string;
        hint: string;
        requestIds: string[];
      };
      expect(f.code).toBe(code);
      expect(f.message).toContain(message);
      expect(f.hint).toMatch(hint);
      const failed = sim.recorder.calls.find((c) => c.status === status)!;
      expect(failed.op).toBe('ModifyNetworkInterfaceAttribute');
      expect(f.requestIds).toHaveLength(1);
      expect(recordsOf('action.succeeded', id)).toHaveLength(0);
      // Nothing that changes anything after the refused call: only the read-back's reads.
      const after = sim.recorder.calls.slice(sim.recorder.calls.indexOf(failed) + 1);
      expect(after.filter((c) => MUTATING.includes(c.op))).toEqual([]);
    },
  );

  it('the second interface failing leaves a PARTIAL isolation; complete does only that one, undo restores the first groups', async () => {
    const id = await halfIsolated();
    const iso = isolationGroupId();
    const a = fx.store.getState().state.actions.get(id)!;
    expect(a.verified.at(-1)).toMatchObject({ afterFailure: true, ok: false });
    expect(a.verified.at(-1)!.parts).toEqual([
      { what: `eni-0primary000000001 carries only ${iso}`, inPlace: true },
      { what: `eni-0second000000002 carries only ${iso}`, inPlace: false },
      { what: 'termination protection on', inPlace: true },
    ]);
    expect(a.calls.filter((c) => c.op === 'ModifyNetworkInterfaceAttribute').map((c) => c.ok)).toEqual([true, false]);
    expect(a.captured!.outputs['previousGroups']).toEqual(PREVIOUS);

    const mark = sim.recorder.calls.length;
    const done = await fx.runner.planComplete(id);
    await fx.runner.confirm(done, fx.store.getState().state.actions.get(done)!.planned.paramsHash);
    expect(await fx.runner.execute(done)).toBe('verified');
    // Only the missing interface, no second group, no second termination-protection call.
    expect(
      callsFrom(mark)
        .filter((c) => MUTATING.includes(c.op))
        .map((c) => [c.op, c.params['NetworkInterfaceId']]),
    ).toEqual([['ModifyNetworkInterfaceAttribute', 'eni-0second000000002']]);
    // The retry found the isolation group on the first interface; undo still knows the original.
    const out = fx.store.getState().state.actions.get(done)!.succeeded!.outputs;
    expect(out['previousGroups']).toEqual(PREVIOUS);
    expect(out['previousTerminationProtection']).toBe(false);

    await undoRestoresBoth(done);
  });

  it('undo of a PARTIAL isolation puts back what was applied', async () => {
    const id = await halfIsolated();
    await undoRestoresBoth(id);
  });

  it('a restore that half-applies (2nd interface 503) is PARTIAL, and completes with both back', async () => {
    const id = await planIsolation();
    expect(await fx.runner.execute(id)).toBe('verified');
    const undo = await fx.runner.planUndo(id);
    await fx.runner.confirm(undo, fx.store.getState().state.actions.get(undo)!.planned.paramsHash);
    const before = sim.recorder.calls.length;
    sim.recorder.fail({
      op: 'ModifyNetworkInterfaceAttribute',
      skip: 1,
      status: 503,
      code: 'Unavailable',
      message: 'The service is unavailable.',
    });
    expect(await fx.runner.execute(undo)).toBe('partial');
    const modifies = sim.recorder.calls.slice(before).filter((c) => c.op === 'ModifyNetworkInterfaceAttribute');
    expect(modifies.map((c) => c.status)).toEqual([200, 503]);
    // One interface has its groups back, the other is still isolated: the journal says partial.
    expect(sim.world.interfaces.get('eni-0primary000000001')!.groupIds).toEqual(PREVIOUS[0]!.groups);
    expect(sim.world.interfaces.get('eni-0second000000002')!.groupIds).toEqual([isolationGroupId()]);
    const done = await fx.runner.planComplete(undo);
    await fx.runner.confirm(done, fx.store.getState().state.actions.get(done)!.planned.paramsHash);
    expect(await fx.runner.execute(done)).toBe('verified');
    expect(sim.world.interfaces.get('eni-0second000000002')!.groupIds).toEqual(PREVIOUS[1]!.groups);
  });

  it('an UnauthorizedOperation dry run reports the refusal', async () => {
    sim.recorder.fail({
      op: 'ModifyInstanceAttribute',
      status: 403,
      code: 'UnauthorizedOperation',
      message: 'You are not authorized to perform this operation.',
    });
    const id = await fx.runner.plan('aws.isolateInstance', target);
    const r = await fx.runner.dryRun(id);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^ModifyInstanceAttribute .* would fail: UnauthorizedOperation/);
  });

  it.each([
    [
      'an ingress rule re-added to the isolation group',
      (s: Ec2Sim, iso: string) =>
        void s.world.addRule(iso, false, { protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }),
      /1 inbound and 0 outbound/,
    ],
    [
      'an egress rule re-added',
      (s: Ec2Sim, iso: string) => void s.world.addRule(iso, true, { protocol: '-1', cidrIpv4: '0.0.0.0/0' }),
      /0 inbound and 1 outbound/,
    ],
    [
      'an interface moved back to its old group',
      (s: Ec2Sim) => void (s.world.interfaces.get('eni-0second000000002')!.groupIds = ['sg-0mgmt0000000000002']),
      /eni-0second000000002 carries \[sg-0mgmt0000000000002\]/,
    ],
    [
      'termination protection turned off',
      (s: Ec2Sim) => void (s.world.instances.get(WEB)!.disableApiTermination = false),
      /termination protection is off/,
    ],
  ])('verify fails when the read-back disagrees: %s', async (_, tamper, detail) => {
    const id = await planIsolation();
    expect(await fx.runner.execute(id)).toBe('verified');
    tamper(sim, isolationGroupId());
    expect(await fx.runner.reverify(id)).toBe('verify-failed');
    expect(recordsOf('action.verified', id).at(-1)!.data).toMatchObject({
      ok: false,
      detail: expect.stringMatching(detail),
    });
  });

  it("undo: restoreInstance puts back each interface's groups and termination protection, leaves the isolation group", async () => {
    const id = await planIsolation();
    await fx.runner.execute(id);
    const iso = isolationGroupId();
    const undo = await fx.runner.planUndo(id);
    const p = recordsOf('action.planned', undo)[0]!.data as {
      action: string;
      params: Record<string, unknown>;
      warnings: string[];
      undoOf: string;
    };
    expect(p).toMatchObject({
      action: 'aws.restoreInstance',
      undoOf: id,
      params: { instanceId: WEB, isolationGroupId: iso, interfaces: PREVIOUS, terminationProtection: false },
    });
    expect(p.warnings.join('\n')).toMatch(/isolation group .* left in place/);

    expect(await fx.runner.dryRun(undo)).toMatchObject({ kind: 'server', ok: true });
    expect(sim.world.interfaces.get('eni-0primary000000001')!.groupIds).toEqual([iso]);

    await fx.runner.confirm(undo, fx.store.getState().state.actions.get(undo)!.planned.paramsHash);
    const from = sim.recorder.calls.length;
    expect(await fx.runner.execute(undo)).toBe('verified');
    expect(callsFrom(from).filter((c) => MUTATING.includes(c.op))).toEqual([
      {
        op: 'ModifyNetworkInterfaceAttribute',
        params: {
          NetworkInterfaceId: 'eni-0primary000000001',
          'SecurityGroupId.1': 'sg-0web00000000000001',
          'SecurityGroupId.2': 'sg-0mgmt0000000000002',
        },
        status: 200,
      },
      {
        op: 'ModifyNetworkInterfaceAttribute',
        params: { NetworkInterfaceId: 'eni-0second000000002', 'SecurityGroupId.1': 'sg-0mgmt0000000000002' },
        status: 200,
      },
      {
        op: 'ModifyInstanceAttribute',
        params: { InstanceId: WEB, 'DisableApiTermination.Value': 'false' },
        status: 200,
      },
    ]);
    expect(sim.world.interfaces.get('eni-0primary000000001')!.groupIds).toEqual(PREVIOUS[0]!.groups);
    expect(sim.world.interfaces.get('eni-0second000000002')!.groupIds).toEqual(PREVIOUS[1]!.groups);
    expect(sim.world.instances.get(WEB)!.disableApiTermination).toBe(false);
    expect(sim.world.groups.has(iso)).toBe(true);

    // The undo's own read-back fails if the instance is isolated again behind it.
    sim.world.interfaces.get('eni-0second000000002')!.groupIds = [iso];
    expect(await fx.runner.reverify(undo)).toBe('verify-failed');
  });

  it('restoreInstance is not offered on its own', () => {
    expect(fx.runner.offered('instance').map((d) => d.id)).toEqual([
      'aws.snapshotVolumes',
      'aws.isolateInstance',
      'aws.naclIsolateInstance',
    ]);
  });
});
