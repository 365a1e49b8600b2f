// The public-bucket runbook in a drill: aws.blockPublicAccess runs, with the same code as live,
// against the scenario's simulated S3 behind the drill's one AWS endpoint, and its undo restores
// the bucket as it was (here: no block at all).

import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { drillCloud, type DrillCloud } from '../../app/commands/drill-cloud.js';
import { targetsOf } from '../../src/actions/catalog.js';
import type { Target } from '../../src/actions/types.js';
import { loadScenario } from '../../src/sources/drill/scenario.js';
import { ActionRunner } from '../../store/action-runner.js';
import { actionStatus } from '../../store/action-selectors.js';
import { newIncident } from '../../store/open.js';
import { tempDir } from '../helpers/tmp.js';

const NOW = new Date('2026-04-20T14:40:00Z');
let cloud: DrillCloud | undefined;
let closeJournal: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cloud?.close();
  await closeJournal?.();
});

it('INC-2026-042: block public access on orders-prod-data, verified; the undo deletes the block again', async () => {
  const scenario = await loadScenario('inc-2026-042');
  const dir = tempDir();
  cloud = drillCloud(scenario, {
    incidentId: scenario.incident.id,
    evidenceDir: join(dir, 'evidence'),
    now: () => NOW,
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
  const status = (id: string) => actionStatus(store.getState().state.actions.get(id)!, store.getState().meta.loadedSeq);
  const confirmAndRun = async (id: string) => {
    await runner.dryRun(id);
    await runner.confirm(id, store.getState().state.actions.get(id)!.planned.paramsHash);
    await runner.execute(id);
    return id;
  };

  const bucket: Target = {
    kind: 'bucket',
    id: 'orders-prod-data',
    label: 'bucket orders-prod-data',
    scope: 'eu-west-1',
  };
  const id = await confirmAndRun(await runner.plan('aws.blockPublicAccess', bucket));
  expect(status(id)).toBe('verified');
  expect(store.getState().state.actions.get(id)!.succeeded!.outputs).toMatchObject({ previous: null });
  expect(store.getState().state.evidence.at(-1)!.description).toContain('orders-prod-data');

  // The cloud logs the call as CloudTrail would, naming the bucket: the event offers the bucket's actions.
  const follow = cloud.drain();
  expect(follow.map((e) => e.action)).toEqual(['PutPublicAccessBlock']);
  await store.getState().actions.ingestEvents(follow);
  const { events } = store.getState().state;
  const row = events.at(events.length - 1)!;
  expect(
    targetsOf(row)
      .filter((t) => t.kind === 'bucket')
      .map((t) => t.id),
  ).toEqual(['orders-prod-data']);
  expect(row.ownAction).toBe(id);
  const undo = await confirmAndRun(await runner.planUndo(id));
  expect(status(undo)).toBe('verified');
  expect(store.getState().state.actions.get(undo)!.verified.at(-1)!.detail).toBe(
    'bucket orders-prod-data: no public access block',
  );
}, 30_000);
