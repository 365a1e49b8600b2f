// The IRSA drill (assets/scenarios/k8s-irsa-pod.yaml) played with the cross-plane bundle: its
// simulated cluster and account start, the pod's role is found from the service account's IRSA
// annotation, and the four real actions run through the runner against the sims — the pod
// captured and quarantined, the role's CloudTrail preserved (the scenario's own records), the
// role denied — each verified and fed back as the event the cloud would log.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { drillCloud, type DrillCloud } from '../../app/commands/drill-cloud.js';
import { loadScenario } from '../../src/sources/drill/scenario.js';
import type { Target } from '../../src/actions/types.js';
import { planBundle, runBundle } from '../../store/action-bundle.js';
import { ActionRunner } from '../../store/action-runner.js';
import { newIncident } from '../../store/open.js';
import { tempDir } from '../helpers/tmp.js';

const NOW = new Date('2026-06-02T14:10:00Z');
let cloud: DrillCloud | undefined;
let closeJournal: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cloud?.close();
  await closeJournal?.();
});

const POD: Target = {
  kind: 'pod',
  id: 'shop/orders-6b8d7c9f5-q7x2m',
  label: 'pod shop/orders-6b8d7c9f5-q7x2m',
  scope: 'shop',
};

describe('the IRSA drill', () => {
  it('plays the bundle: every step in place and verified, evidence first, follow-ups in the feed', async () => {
    const scenario = await loadScenario('k8s-irsa-pod');
    expect(scenario.incident.id).toBe('INC-2026-063');
    const dir = tempDir();
    cloud = drillCloud(scenario, {
      incidentId: scenario.incident.id,
      evidenceDir: join(dir, 'evidence'),
      now: () => NOW,
      toolVersion: 'firebreak test',
    });
    expect([...cloud.backends].sort()).toEqual(['aws', 'kubernetes']);
    const { store, journal } = await newIncident(join(dir, 'drill.jsonl'), {
      incidentId: scenario.incident.id,
      title: scenario.incident.title,
      mode: 'drill',
      scenario: scenario.name,
    });
    closeJournal = () => journal!.close();
    const runner = new ActionRunner({ store, mode: 'drill', env: cloud.env, backends: cloud.backends });
    const env = await cloud.env();
    const deps = { runner, store };
    // Arming only the cluster is not enough: the role is in the account.
    await store.getState().actions.armSession(env.kube!.cluster, env.kube!.cluster);
    await expect(planBundle(deps, POD)).rejects.toThrow('not armed for AWS account 210987654321');
    await store.getState().actions.armSession(env.aws!.account, env.aws!.account);
    const plan = await planBundle(deps, POD);
    expect(plan.identity.chosen).toMatchObject({ via: 'irsa', name: 'shop-orders-reader', account: '210987654321' });
    expect(plan.identity.eksCluster).toBe('shop-prod');
    expect(plan.notes).toEqual([]);
    const steps = await runBundle(deps, plan, 'shop-orders-reader', plan.hash);
    expect(steps.map((s) => [s.defId, s.status])).toEqual([
      ['k8s.capturePod', 'verified'],
      ['aws.preserveCloudTrail', 'verified'],
      ['k8s.quarantinePod', 'verified'],
      ['aws.denyAllRole', 'verified'],
    ]);
    const evidence = store.getState().state.evidence;
    const trail = evidence.find((e) => e.source.includes('CloudTrail') || e.path.includes('cloudtrail'));
    expect(trail, JSON.stringify(evidence.map((e) => e.source))).toBeDefined();
    expect(trail!.size).toBeGreaterThan(500);
    const followUps = cloud.drain().map((e) => e.action);
    expect(followUps).toEqual(expect.arrayContaining(['PutRolePolicy']));
  });
});
