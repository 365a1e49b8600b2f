// A bundled drill played into a journal headlessly, as test/unit/drill/journal-roundtrip.test.ts
// plays it (the runner, a hand-stepped clock, the store's commands as its sink), with a team's
// moves journaled on the drill clock in between: severity, roles, evidence first, containment,
// personal data, a leadership update. The reports written from it are the drill's goldens. The
// moves are journaled records, not calls into the simulated cloud: the goldens stay byte-stable
// and the test stays fast, and the reports read nothing but the journal.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ACTION_META } from '../../../src/actions/meta.js';
import type { PlannedCall } from '../../../src/actions/types.js';
import type { RecordData } from '../../../src/journal/records.js';
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

export async function playDrill(
  name: string,
  dir: string,
  actor: string,
  moves: readonly Move[],
): Promise<PlayedDrill> {
  const scenario = await loadScenario(name);
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
