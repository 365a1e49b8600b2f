// A bundled drill played into a journal headlessly, as test/unit/drill/journal-roundtrip.test.ts
// plays it (the runner, a hand-stepped clock, the store's commands as its sink), with a team's
// moves journaled on the drill clock in between: severity, roles, evidence first, containment,
// personal data, a leadership update. The reports written from it are the drill's goldens. The
// moves are journaled records, not calls into the simulated cloud: the goldens stay byte-stable
// and the test stays fast, and the reports read nothing but the journal. The attacker still meets
// the team's containment: each move's effect is set in the simulator's model, which judges the
// scripted calls as the drill does.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ACTION_META } from '../../../src/actions/meta.js';
import type { PlannedCall } from '../../../src/actions/types.js';
import type { RecordData } from '../../../src/journal/records.js';
import { IamModel, judgeAwsCall, judgeKubeCall, KubeCluster, type KubeSeed } from '@firebreak/cloud-sim';
import {
  cutoffAt,
  denyAllDocument,
  DENY_ALL_POLICY,
  REVOKE_SESSIONS_POLICY,
  revokeSessionsDocument,
} from '../../../src/actions/aws/iam/policies.js';
import type { IncidentEvent } from '../../../src/domain/event.js';
import { reactTo } from '../../../src/sources/drill/reactions.js';
import { DrillRunner } from '../../../src/sources/drill/runner.js';
import { loadScenario, type Scenario } from '../../../src/sources/drill/scenario.js';
import { newIncident } from '../../../store/open.js';
import type { IncidentStore } from '../../../store/store.js';
import { fakeScheduler, fakeTime } from '../drill/helpers.js';

type Commands = ReturnType<IncidentStore['getState']>['actions'];
type TargetData = RecordData<'action.planned'>['target'];

export interface DrillTeam {
  c: Commands;
  /** Journals an action run to its outcome: planned and confirmed now, started, finished and read back after. */
  act(
    action: string,
    target: TargetData,
    o: {
      service: PlannedCall['service'];
      fail?: { code: string; message: string };
      evidence?: { id: string; file: string; source: string; description: string };
    },
  ): Promise<string>;
}

export interface Move {
  /** Offset from the scenario's start, "+MM:SS". */
  at: string;
  run(team: DrillTeam): Promise<void>;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const offset = (s: string) => {
  const [m, sec] = s.slice(1).split(':').map(Number);
  return (m! * 60 + sec!) * 1000;
};

export interface PlayedDrill {
  scenario: Scenario;
  store: IncidentStore;
  close(): Promise<void>;
}

/**
 * The world the scripted attacker meets: the simulator's own IAM model and cluster, judged with
 * its own rules (packages/cloud-sim reactions), changed by the team's moves as the actions would
 * change them. Without it the attacker's calls after a verified deny-all would read as successes.
 */
function reactingWorld(scenario: Scenario) {
  const cloud = scenario.cloud as
    { aws?: { account: string; iam?: object }; kubernetes?: { seed: KubeSeed } } | undefined;
  const iam = cloud?.aws
    ? new IamModel({ account: cloud.aws.account, ...structuredClone(cloud.aws.iam ?? {}) })
    : undefined;
  // Quarantine is a deny-all policy on a label, then the label on the pod (quarantine-pod.ts): the
  // policy is seeded in every namespace, selecting nothing until a move labels a pod.
  const kube = cloud?.kubernetes?.seed;
  const cluster = kube
    ? new KubeCluster({
        ...structuredClone(kube),
        networkPolicies: [
          ...(kube.networkPolicies ?? []),
          ...(kube.namespaces ?? []).map((namespace) => ({
            namespace,
            name: 'firebreak-quarantine',
            spec: {
              podSelector: { matchLabels: { 'firebreak.io/quarantine': 'true' } },
              policyTypes: ['Ingress', 'Egress'],
            },
          })),
        ],
      })
    : undefined;
  // The first change's time: calls made before it met the seeded world (reactions.ts reactTo).
  let changedAt = Number.POSITIVE_INFINITY;
  return {
    react: (events: IncidentEvent[]) =>
      reactTo(
        events,
        (p) => (iam ? judgeAwsCall(iam, p) : { ok: true }),
        (p) => (cluster ? judgeKubeCall(cluster, p) : { ok: true }),
        changedAt,
      ),
    /** What a succeeded action changed, in the simulator's model. */
    applied(action: string, target: TargetData, atMs: number): void {
      if (['aws.denyAllRole', 'aws.deactivateKey', 'k8s.quarantinePod'].includes(action))
        changedAt = Math.min(changedAt, atMs);
      if (iam && action === 'aws.denyAllRole') {
        const role = iam.roles.get(target.id);
        role?.policies.set(DENY_ALL_POLICY, denyAllDocument());
        role?.policies.set(REVOKE_SESSIONS_POLICY, revokeSessionsDocument(cutoffAt(new Date(atMs))));
      }
      if (iam && action === 'aws.deactivateKey')
        for (const u of iam.users.values()) for (const k of u.keys) if (k.id === target.id) k.status = 'Inactive';
      if (cluster && action === 'k8s.quarantinePod') {
        const [namespace, name] = target.id.split('/') as [string, string];
        cluster.mutate('pods', namespace, name, (pod) => {
          pod.metadata.labels = { 'firebreak.io/quarantine': 'true' };
        });
      }
    },
  };
}

export async function playDrill(
  name: string,
  dir: string,
  actor: string,
  moves: readonly Move[],
): Promise<PlayedDrill> {
  const scenario = await loadScenario(name);
  const world = reactingWorld(scenario);
  // Every record is stamped on the drill clock and never earlier than the one before it.
  let stamp = scenario.startMs;
  const { store, journal } = await newIncident(
    join(dir, `${name}.jsonl`),
    {
      incidentId: scenario.incident.id,
      title: scenario.incident.title,
      mode: 'drill',
      scenario: scenario.name,
      ...(scenario.incident.codename ? { codename: scenario.incident.codename } : {}),
    },
    { actor, now: () => new Date(stamp) },
  );
  const c = store.getState().actions;
  const real = fakeTime();
  const scheduler = fakeScheduler();
  const errors: Error[] = [];
  const runner = new DrillRunner({
    scenario,
    sink: {
      ingest: (events) => c.ingestEvents(events, 'drill'),
      detect: (d) => c.raiseDetection(d, 'drill'),
      inject: (id, text, simTime) => c.recordInject(id, text, simTime, 'drill'),
    },
    onError: (e) => errors.push(e),
    now: real.now,
    scheduler,
    speed: 60,
    react: world.react,
  });
  const until = async (ms: number) => {
    while (runner.status().state === 'running' && runner.clock.now() < ms) {
      real.advance(250);
      stamp = Math.max(stamp, runner.clock.now());
      scheduler.fire();
      await runner.tick();
    }
  };
  let n = 0;
  const team: DrillTeam = {
    c,
    async act(action, target, o) {
      const meta = ACTION_META.find((m) => m.id === action);
      if (!meta) throw new Error(`${action} is not in the catalog`);
      const actionId = `act-${String(++n).padStart(6, '0')}`;
      const params = { action, target: target.id };
      const paramsHash = sha(JSON.stringify(params));
      await c.recordAction('action.planned', {
        actionId,
        action,
        target,
        params,
        paramsHash,
        calls: [{ service: o.service, op: action, summary: meta.title, mutating: meta.destructive }],
        blastRadius: [target.label],
        warnings: [],
      });
      await c.recordAction('action.confirmed', { actionId, paramsHash });
      stamp += 10_000;
      await c.recordAction('action.started', { actionId, paramsHash, idempotencyToken: actionId });
      stamp += 20_000;
      if (o.fail) {
        await c.recordAction('action.failed', { actionId, stage: 'execute', requestIds: ['req-1'], ...o.fail });
        return actionId;
      }
      await c.recordAction('action.succeeded', { actionId, requestIds: ['req-1'], outputs: {}, message: 'done' });
      world.applied(action, target, stamp);
      if (o.evidence) {
        const content = `${o.evidence.source}\n`;
        await c.recordEvidence({
          evidenceId: o.evidence.id,
          path: o.evidence.file,
          sha256: sha(content),
          size: content.length,
          source: o.evidence.source,
          description: o.evidence.description,
          collector: actor,
          toolVersion: 'firebreak 0.1.0',
          collectedAt: new Date(stamp).toISOString(),
          actionId,
          target,
        });
      }
      await c.recordAction('action.verified', { actionId, ok: true, detail: 'read back: in place' });
      return actionId;
    },
  };
  runner.start();
  for (const m of moves) {
    const at = scenario.startMs + offset(m.at);
    await until(at);
    stamp = Math.max(stamp, at);
    await m.run(team);
  }
  await until(Number.POSITIVE_INFINITY);
  await runner.stop();
  if (errors.length) throw errors[0];
  return { scenario, store, close: async () => void (await journal?.close()) };
}
