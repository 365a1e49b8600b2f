// A server (or a proxy in front of it) that ignores Filter.N answers with everything. EC2 filters
// narrow the wire; what drives a plan must be checked in code, or another instance's groups
// inflate the blast radius and another action's snapshots make a new capture look "already taken".
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html#query-filters

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EC2_ACTIONS } from '../../src/actions/aws/ec2/index.js';
import { startEc2Sim, type Ec2Sim } from '@firebreak/cloud-sim';
import { actionFixture, type ActionFixture } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { ec2Env, WEB, webServerSeed } from './ec2-harness.js';

const web = { kind: 'instance' as const, id: WEB, label: 'instance web-1' };
const batch = { kind: 'instance' as const, id: 'i-0bbbb000000000001', label: 'instance batch-1' };

let sim: Ec2Sim;
let fx: ActionFixture;
beforeEach(async () => {
  const dir = tempDir('fb-ec2-filters-');
  const seed = webServerSeed();
  // An instance in another VPC that shares none of web-1's groups.
  seed.instances!.push({
    instanceId: 'i-0bbbb000000000001',
    vpcId: 'vpc-0ffffffffffffffff',
    subnetId: 'subnet-0ffffffffffffffff',
    tags: { Name: 'batch-1' },
    networkInterfaces: [{ networkInterfaceId: 'eni-0elsewhere000001', groupIds: ['sg-0other000000000003'] }],
    volumes: [{ volumeId: 'vol-0elsewhere000001', device: '/dev/xvda' }],
  });
  sim = await startEc2Sim(seed);
  fx = await actionFixture(dir, ec2Env(dir, sim), { defs: EC2_ACTIONS, backends: ['aws'] });
});
afterEach(async () => {
  await fx.close();
  await sim.close();
});

describe('EC2 answers that ignored the filters', () => {
  it('the isolation blast radius counts only instances that really carry the groups', async () => {
    await fx.run('aws.snapshotVolumes', web);
    sim.world.ignoreFilters = true;
    const id = await fx.runner.plan('aws.isolateInstance', web);
    const blast = fx.store.getState().state.actions.get(id)!.planned.blastRadius.join('\n');
    // web-2 shares the web group; batch-1 came back only because the filter was ignored.
    expect(blast).toMatch(/1 other instance shares the previous groups/);
  });

  it("another action's snapshots do not make this capture look already taken", async () => {
    await fx.run('aws.snapshotVolumes', batch);
    sim.world.ignoreFilters = true;
    const id = await fx.run('aws.snapshotVolumes', web);
    const a = fx.store.getState().state.actions.get(id)!;
    expect(a.succeeded?.message ?? '').not.toMatch(/already/);
    expect(sim.recorder.calls.filter((c) => c.op === 'CreateSnapshots')).toHaveLength(2);
    // web-1's two volumes were really captured, and the read-back checked those, not batch-1's.
    const volumes = [...sim.world.snapshots.values()].map((s) => s.volumeId).sort();
    expect(volumes).toEqual(['vol-0data00000000002', 'vol-0elsewhere000001', 'vol-0root00000000001']);
    expect(a.verified.at(-1)?.ok).toBe(true);
    expect(a.verified.at(-1)?.detail).not.toContain('vol-0elsewhere000001');
  });

  it('the network-ACL blast radius counts only instances in the subnet', async () => {
    await fx.run('aws.snapshotVolumes', web);
    sim.world.ignoreFilters = true;
    const id = await fx.runner.plan('aws.naclIsolateInstance', web);
    const blast = fx.store.getState().state.actions.get(id)!.planned.blastRadius.join('\n');
    expect(blast).toContain('1 other instance in subnet-0123456789abcdef0 keeps their traffic');
  });
});
