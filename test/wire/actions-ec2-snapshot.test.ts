// aws.snapshotVolumes through the ActionRunner, the real EC2Client and the EC2 sim: the exact
// requests, the server-side dry run, one CreateSnapshots per press, failures journaled with their
// request id, the manifest's hash in the evidence record, verify failing on a disagreeing read-back.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EC2_ACTIONS } from '../../src/actions/aws/ec2/index.js';
import type { AnyRecord } from '../../src/journal/records.js';
import { startEc2Sim, type Ec2Sim } from '@firebreak/cloud-sim';
import { actionFixture, TEST_INCIDENT, type ActionFixture } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { ec2Env, WEB, webServerSeed } from './ec2-harness.js';

const target = { kind: 'instance' as const, id: WEB, label: 'instance web-1' };

let sim: Ec2Sim;
let fx: ActionFixture;
let dir: string;
beforeEach(async () => {
  dir = tempDir('fb-ec2-snap-');
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

function ops(): string[] {
  return sim.recorder.calls.map((c) => c.op);
}

describe('aws.snapshotVolumes over the wire', () => {
  it('plans from DescribeInstances, then one tagged CreateSnapshots, manifest hashed, verified', async () => {
    const id = await fx.runner.plan('aws.snapshotVolumes', target);
    const planned = recordsOf('action.planned', id)[0]!.data as { params: Record<string, unknown>; warnings: string[] };
    expect(planned.params.volumes).toEqual([
      { volumeId: 'vol-0root00000000001', device: '/dev/xvda' },
      { volumeId: 'vol-0data00000000002', device: '/dev/xvdf' },
    ]);
    expect(planned.warnings.join(' ')).toMatch(/crash-consistent/);
    expect(planned.warnings.join(' ')).toMatch(/memory is NOT captured/);
    expect(ops()).toEqual(['DescribeInstances']);

    const hash = fx.store.getState().state.actions.get(id)!.planned.paramsHash;
    await fx.runner.confirm(id, hash);
    expect(await fx.runner.execute(id)).toBe('verified');
    expect(ops()).toEqual(['DescribeInstances', 'DescribeSnapshots', 'CreateSnapshots', 'DescribeSnapshots']);

    const [idem, create, readBack] = sim.recorder.calls.slice(1);
    expect(idem!.params).toEqual({
      Action: 'DescribeSnapshots',
      Version: '2016-11-15',
      'Owner.1': 'self',
      'Filter.1.Name': 'tag:firebreak-action-id',
      'Filter.1.Value.1': id,
    });
    expect(create!.params).toEqual({
      Action: 'CreateSnapshots',
      Version: '2016-11-15',
      'InstanceSpecification.InstanceId': WEB,
      Description: `firebreak evidence ${TEST_INCIDENT} ${WEB}`,
      'TagSpecification.1.ResourceType': 'snapshot',
      'TagSpecification.1.Tag.1.Key': 'incident-id',
      'TagSpecification.1.Tag.1.Value': TEST_INCIDENT,
      'TagSpecification.1.Tag.2.Key': 'firebreak-action-id',
      'TagSpecification.1.Tag.2.Value': id,
      CopyTagsFromSource: 'volume',
    });
    expect(readBack!.params['Filter.1.Value.1']).toBe(id);

    // AWS now holds one snapshot per volume, tagged at creation (and with the volume's own tags).
    const snaps = [...sim.world.snapshots.values()];
    expect(snaps.map((s) => s.volumeId)).toEqual(['vol-0root00000000001', 'vol-0data00000000002']);
    for (const s of snaps)
      expect(s.tags).toEqual(
        expect.arrayContaining([
          { key: 'incident-id', value: TEST_INCIDENT },
          { key: 'firebreak-action-id', value: id },
        ]),
      );

    const succeeded = recordsOf('action.succeeded', id)[0]!.data as {
      requestIds: string[];
      outputs: { snapshots: unknown[]; manifest: string };
    };
    expect(succeeded.requestIds).toHaveLength(2);
    expect(succeeded.outputs.snapshots).toEqual(snaps.map((s) => ({ snapshotId: s.snapshotId, volumeId: s.volumeId })));
    expect(recordsOf('action.verified', id)[0]!.data).toMatchObject({ ok: true });

    // The manifest on disk is what the evidence record hashes.
    const ev = recordsOf('evidence.recorded', id)[0]!.data as { path: string; sha256: string; size: number };
    expect(ev.path).toBe(succeeded.outputs.manifest);
    expect(ev.path.startsWith(`${dir}/evidence/${TEST_INCIDENT}/aws/`)).toBe(true);
    const bytes = readFileSync(ev.path);
    expect(ev.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(ev.size).toBe(bytes.length);
    const manifest = JSON.parse(bytes.toString('utf8')) as {
      instanceId: string;
      actionId: string;
      snapshots: { snapshotId: string }[];
    };
    expect(manifest).toMatchObject({ instanceId: WEB, actionId: id });
    expect(manifest.snapshots.map((s) => s.snapshotId)).toEqual(snaps.map((s) => s.snapshotId));
  });

  it('dry run: DryRun=true sent, answered DryRunOperation, nothing created', async () => {
    const id = await fx.runner.plan('aws.snapshotVolumes', target);
    const r = await fx.runner.dryRun(id);
    expect(r).toMatchObject({ kind: 'server', ok: true });
    const call = sim.recorder.of('CreateSnapshots')[0]!;
    expect(call.params).toMatchObject({ DryRun: 'true', 'InstanceSpecification.InstanceId': WEB });
    expect(call.status).toBe(412);
    expect(sim.world.snapshots.size).toBe(0);
    expect(r.requestIds).toHaveLength(1);
    expect(recordsOf('action.dryrun', id)[0]!.data).toMatchObject({ kind: 'server', ok: true });
  });

  it('a dry run refused by IAM says so (UnauthorizedOperation), not "would succeed"', async () => {
    sim.recorder.fail({
      op: 'CreateSnapshots',
      status: 403,
      code: 'UnauthorizedOperation',
      message: 'You are not authorized to perform this operation.',
    });
    const id = await fx.runner.plan('aws.snapshotVolumes', target);
    const r = await fx.runner.dryRun(id);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/UnauthorizedOperation.*not authorized.*credentials lack permission/);
  });

  it('double press: the second execute is refused and AWS saw one CreateSnapshots', async () => {
    const id = await fx.run('aws.snapshotVolumes', target);
    await expect(fx.runner.execute(id)).rejects.toThrow(/already ran/);
    expect(sim.recorder.of('CreateSnapshots')).toHaveLength(1);
    expect(sim.world.snapshots.size).toBe(2);
  });

  it('snapshots already tagged with this action id are reported, not taken again', async () => {
    const id = await fx.runner.plan('aws.snapshotVolumes', target);
    // As if a first attempt's CreateSnapshots reached AWS (say, before a lost response).
    sim.world.snapshots.set('snap-0earlier000000001', {
      snapshotId: 'snap-0earlier000000001',
      volumeId: 'vol-0root00000000001',
      volumeSizeGiB: 8,
      state: 'pending',
      description: '',
      startTime: new Date(),
      encrypted: false,
      tags: [
        { key: 'incident-id', value: TEST_INCIDENT },
        { key: 'firebreak-action-id', value: id },
      ],
    });
    const hash = fx.store.getState().state.actions.get(id)!.planned.paramsHash;
    await fx.runner.confirm(id, hash);
    await fx.runner.execute(id);
    expect(sim.recorder.of('CreateSnapshots')).toHaveLength(0);
    const s = recordsOf('action.succeeded', id)[0]!.data as { message: string; outputs: { alreadyApplied: boolean } };
    expect(s.outputs.alreadyApplied).toBe(true);
    expect(s.message).toMatch(/already applied/);
    // …and the read-back notices the data volume has no snapshot.
    expect(recordsOf('action.verified', id)[0]!.data).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/no snapshot of vol-0data00000000002/),
    });
  });

  it.each([
    ['UnauthorizedOperation', 403, 'You are not authorized to perform this operation.', /credentials lack permission/],
    ['InvalidInstanceID.NotFound', 400, `The instance ID '${WEB}' does not exist`, /target is not there/],
    ['RequestLimitExceeded', 503, 'Request limit exceeded.', /rate-limiting/],
  ])(
    '%s on CreateSnapshots is journaled as action.failed with the message, hint and request id',
    async (code, status, message, hint) => {
      sim.recorder.fail({ op: 'CreateSnapshots', status, code, message });
      const id = await fx.run('aws.snapshotVolumes', target);
      expect(fx.runner.status(id)).toBe('failed');
      const f = recordsOf('action.failed', id)[0]!.data as {
        code: string;
        message: string;
        hint: string;
        requestIds: string[];
        stage: string;
      };
      expect(f.stage).toBe('execute');
      expect(f.code).toBe(code);
      expect(f.message).toContain(message);
      expect(f.message).toContain(`HTTP ${status}`);
      expect(f.hint).toMatch(hint);
      const failedCall = sim.recorder.of('CreateSnapshots')[0]!;
      expect(failedCall.status).toBe(status);
      expect(f.requestIds).toHaveLength(1);
      expect(f.requestIds[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(recordsOf('action.succeeded', id)).toHaveLength(0);
      expect(recordsOf('evidence.recorded', id)).toHaveLength(0);
      expect(sim.world.snapshots.size).toBe(0);
    },
  );

  it('verify fails when a snapshot errored behind the action', async () => {
    const id = await fx.run('aws.snapshotVolumes', target);
    expect(fx.runner.status(id)).toBe('verified');
    [...sim.world.snapshots.values()][1]!.state = 'error';
    expect(await fx.runner.reverify(id)).toBe('verify-failed');
    const v = recordsOf('action.verified', id).at(-1)!.data as { ok: boolean; detail: string };
    expect(v.detail).toMatch(/is error/);
  });

  it('plan fails cleanly for an unknown instance (journaled, with the hint)', async () => {
    await expect(fx.runner.plan('aws.snapshotVolumes', { ...target, id: 'i-0000000000000dead' })).rejects.toThrow(
      /does not exist.*target is not there/,
    );
    const f = fx.records().find((r) => r.type === 'action.failed')!.data as { stage: string; code: string };
    expect(f).toMatchObject({ stage: 'plan', code: 'InvalidInstanceID.NotFound' });
  });
});
