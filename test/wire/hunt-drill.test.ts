// A drill answers hunts: the drill's simulated cloud serves CloudTrail Lake and Athena over the
// scenario's own CloudTrail events, so `:hunt` in a drill runs the real SDK clients through
// cockpitHunt against it, and every row is an event the scenario also plays (one event each).

import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { drillCloud, type DrillCloud } from '../../app/commands/drill-cloud.js';
import { cockpitHunt } from '../../app/commands/hunt.js';
import { loadScenario } from '../../src/sources/drill/scenario.js';
import { newIncident } from '../../store/open.js';
import { tempDir } from '../helpers/tmp.js';

let cloud: DrillCloud | undefined;
let closeJournal: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cloud?.close();
  await closeJournal?.();
});

it('inc-2026-042: a hunt on Lake and on Athena finds the scenario key’s events, deduplicated', async () => {
  const scenario = await loadScenario('inc-2026-042');
  const dir = tempDir();
  cloud = drillCloud(scenario, {
    incidentId: scenario.incident.id,
    evidenceDir: join(dir, 'evidence'),
    now: () => new Date(scenario.startMs),
    toolVersion: 'firebreak test',
  });
  const { store, journal } = await newIncident(join(dir, 'drill.jsonl'), {
    incidentId: scenario.incident.id,
    title: scenario.incident.title,
    mode: 'drill',
    scenario: scenario.name,
  });
  closeJournal = () => journal!.close();
  const scripted = scenario.items.flatMap((i) =>
    i.kind === 'event' && i.event.source === 'cloudtrail' ? [i.event] : [],
  );
  const key = scripted.find((e) => e.accessKeyId)?.accessKeyId;
  expect(key).toBeDefined();
  const expected = scripted.filter((e) => e.accessKeyId === key).map((e) => e.id);
  const hunt = cockpitHunt(store, () => cloud!.hunt());
  const lake = await hunt({ pivot: { kind: 'access-key', value: key! }, allowUnbounded: true });
  expect(lake.ok).toBe(true);
  expect(lake.summary).toContain(`hunt finished: ${expected.length} rows, ${expected.length} new events`);
  const athena = await hunt({ pivot: { kind: 'access-key', value: key! }, allowUnbounded: true, engine: 'athena' });
  expect(athena.summary).toContain(`hunt finished: ${expected.length} rows, 0 new events`);
  expect([...store.getState().state.eventIndex.keys()].sort()).toEqual(expected.map((id) => `cloudtrail:${id}`).sort());
});
