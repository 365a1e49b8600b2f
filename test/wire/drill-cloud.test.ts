// The drill's simulated cloud: both bundled scenarios' estates start, the REAL action definitions
// run end to end through the runner against them (the same code as live), and every mutating call
// comes back as the follow-up event the real cloud would log.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { drillCloud, type DrillCloud } from '../../app/commands/drill-cloud.js';
import { loadScenario } from '../../src/sources/drill/scenario.js';
import { ActionRunner } from '../../store/action-runner.js';
import { actionStatus } from '../../store/action-selectors.js';
import { newIncident } from '../../store/open.js';
import type { Target } from '../../src/actions/types.js';
import { tempDir } from '../helpers/tmp.js';
import { landedText } from '../../views/action-lines.js';

const NOW = new Date('2026-04-20T14:40:00Z');
let cloud: DrillCloud | undefined;
let closeJournal: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cloud?.close();
  await closeJournal?.();
});

async function session(name: string) {
  const scenario = await loadScenario(name);
  const dir = tempDir();
  const file = join(dir, 'drill.jsonl');
  cloud = drillCloud(scenario, {
    incidentId: scenario.incident.id,
    evidenceDir: join(dir, 'evidence'),
    now: () => NOW,
    toolVersion: 'firebreak test',
  });
  const { store, journal } = await newIncident(file, {
    incidentId: scenario.incident.id,
    title: scenario.incident.title,
    mode: 'drill',
    scenario: scenario.name,
  });
  closeJournal = () => journal!.close();
  const runner = new ActionRunner({ store, mode: 'drill', env: cloud.env, backends: cloud.backends });
  const status = (id: string) => actionStatus(store.getState().state.actions.get(id)!, store.getState().meta.loadedSeq);
  const run = async (defId: string, target: Target) => {
    const id = await runner.plan(defId, target);
    await runner.dryRun(id);
    await runner.confirm(id, store.getState().state.actions.get(id)!.planned.paramsHash);
    await runner.execute(id);
    return id;
  };
  return { store, runner, status, run, cloud };
}

describe('drill simulated cloud', () => {
  it('INC-2026-042: preserve, deactivate a key, snapshot and isolate an instance, revoke leases, upload evidence — all verified, all in the feed', async () => {
    const s = await session('inc-2026-042');
    expect([...s.cloud.backends].sort()).toEqual(['aws', 'vault']);
    const env = await s.cloud.env();
    await s.store.getState().actions.armSession(env.aws!.account, '123456789012');

    const key: Target = { kind: 'access-key', id: 'AKIA5REPORTEXAMPLE01', label: 'access key AKIA5REPORTEXAMPLE01' };
    const preserved = await s.run('aws.preserveCloudTrailKey', key);
    expect(s.status(preserved)).toBe('verified');
    const ev = s.store.getState().state.evidence;
    expect(ev).toHaveLength(1);
    // The scenario's own CloudTrail is what the sim holds: the leaked key's calls were preserved.
    expect(ev[0]!.size).toBeGreaterThan(500);
    expect(s.status(await s.run('aws.deactivateKey', key))).toBe('verified');

    const inst: Target = {
      kind: 'instance',
      id: 'i-0f9e8d7c6b5a43210',
      label: 'instance i-0f9e8d7c6b5a43210',
      scope: 'eu-west-1',
    };
    const planIso = await s.runner.plan('aws.isolateInstance', inst);
    const planned = s.store.getState().state.actions.get(planIso)!.planned;
    expect(planned.blastRadius.join('\n')).toMatch(/orders-api-prod/); // the Auto Scaling group
    expect(s.status(await s.run('aws.snapshotVolumes', inst))).toBe('verified');
    expect(s.status(await s.run('aws.isolateInstance', inst))).toBe('verified');

    expect(
      s.status(
        await s.run('vault.revokeLeases', {
          kind: 'vault-prefix',
          id: 'database/creds/orders-prod',
          label: 'leases database/creds/orders-prod',
        }),
      ),
    ).toBe('verified');
    const first = s.store.getState().state.evidence[0]!;
    expect(
      s.status(await s.run('aws.uploadEvidence', { kind: 'evidence', id: first.evidenceId, label: first.path })),
    ).toBe('verified');

    const follow = s.cloud.drain();
    const names = follow.map((e) => e.action);
    expect(names).toEqual(
      expect.arrayContaining([
        'UpdateAccessKey',
        'PutUserPolicy',
        'CreateSnapshots',
        'CreateSecurityGroup',
        'ModifyNetworkInterfaceAttribute',
        'PutObject',
      ]),
    );
    // Dry runs and read-only calls log nothing; the responder's identity is on every one.
    expect(names).not.toContain('DescribeInstances');
    expect(follow.every((e) => e.actor.includes('incident-responder'))).toBe(true);
    expect(s.cloud.drain()).toEqual([]);

    // Correlation: each follow-up names the action that made it; ingested, the events are marked as
    // firebreak's own and the action shows where it landed.
    const deactivate = s.store
      .getState()
      .state.actionOrder.find(
        (id) => s.store.getState().state.actions.get(id)!.planned.action === 'aws.deactivateKey',
      )!;
    const own = follow.filter((e) => e.action === 'UpdateAccessKey');
    expect(own[0]!.userAgent).toContain(`firebreak-action/${deactivate}`);
    await s.store.getState().actions.ingestEvents(follow);
    const st = s.store.getState().state;
    const rows = Array.from({ length: st.events.length }, (_, i) => st.events.at(i)!);
    expect(rows.every((r) => r.ownAction !== undefined)).toBe(true);
    expect(landedText(st.actions.get(deactivate)!)).toMatch(/^ · landed in CloudTrail at \d\d:\d\d:\d\d \(\+\d+m\)$/);
  }, 30_000);

  it('k8s-compromised-pod: capture, quarantine and undo, isolate the namespace, cordon the node', async () => {
    const s = await session('k8s-compromised-pod');
    expect([...s.cloud.backends]).toEqual(['kubernetes']);
    const env = await s.cloud.env();
    await s.store.getState().actions.armSession(env.kube!.cluster, 'prod-eu-west-1');
    const pod: Target = {
      kind: 'pod',
      id: 'payments/api-7d9f8b6c5-x2kqp',
      label: 'pod payments/api-7d9f8b6c5-x2kqp',
      scope: 'payments',
    };
    expect(s.status(await s.run('k8s.capturePod', pod))).toBe('verified');
    expect(s.store.getState().state.evidence.length).toBeGreaterThanOrEqual(3);
    // The attacker's calls from inside the pod, as scripted: delivered until the quarantine's
    // deny-all NetworkPolicy (written by the real action) cuts the pod's egress.
    const scenario = await loadScenario('k8s-compromised-pod');
    const inPod = scenario.items.flatMap((i) =>
      i.kind === 'event' && i.event.source === 'k8s-audit' && i.event.sourceIp === '10.30.12.117' ? [i.event] : [],
    );
    expect(inPod.length).toBeGreaterThan(0);
    expect(s.cloud.react(inPod)).toEqual(inPod);
    const q = await s.run('k8s.quarantinePod', pod);
    expect(s.status(q)).toBe('verified');
    expect(s.cloud.react(inPod)).toEqual([]);
    const undo = await s.runner.planUndo(q);
    await s.runner.confirm(undo, s.store.getState().state.actions.get(undo)!.planned.paramsHash);
    await s.runner.execute(undo);
    expect(s.status(undo)).toBe('verified');
    expect(s.cloud.react(inPod)).toEqual(inPod); // undone: the attacker gets out again
    expect(
      s.status(await s.run('k8s.isolateNamespace', { kind: 'namespace', id: 'payments', label: 'namespace payments' })),
    ).toBe('verified');
    expect(s.cloud.react(inPod)).toEqual([]);
    expect(
      s.status(
        await s.run('k8s.cordonNode', {
          kind: 'node',
          id: 'ip-10-30-12-84.eu-west-1.compute.internal',
          label: 'node ip-10-30-12-84',
        }),
      ),
    ).toBe('verified');
    const follow = s.cloud.drain();
    expect(follow.every((e) => e.source === 'k8s-audit')).toBe(true);
    expect(follow.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'patch', 'delete']));
  }, 30_000);
});
