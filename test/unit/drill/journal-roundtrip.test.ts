// The drill end to end against the real store and journal: every scripted record is accepted by
// the journal's schemas, secrets in scripted raw records are redacted on the way in, and a drill
// journal that is closed mid-way and re-opened continues without a single duplicate.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanJournal } from '../../../src/journal/scan.js';
import { deliveredItemId } from '../../../src/sources/drill/items.js';
import { DrillRunner, type DrillSink } from '../../../src/sources/drill/runner.js';
import { loadScenario, type Scenario } from '../../../src/sources/drill/scenario.js';
import { newIncident, openIncident } from '../../../store/open.js';
import type { IncidentStore } from '../../../store/store.js';
import { fakeScheduler, fakeTime } from './helpers.js';

/** The composition root's adapter: the runner's sink is the store's commands. */
function storeSink(store: IncidentStore): DrillSink {
  const actions = () => store.getState().actions;
  return {
    ingest: (events) => actions().ingestEvents(events),
    detect: (d) => actions().raiseDetection(d),
    inject: (id, text, simTime) => actions().recordInject(id, text, simTime),
  };
}

async function play(
  scenario: Scenario,
  store: IncidentStore,
  untilSimMs: number,
  delivered?: Iterable<string>,
): Promise<DrillRunner> {
  const real = fakeTime();
  const scheduler = fakeScheduler();
  const errors: Error[] = [];
  const runner = new DrillRunner({
    scenario,
    sink: storeSink(store),
    onError: (e) => errors.push(e),
    now: real.now,
    scheduler,
    speed: 60,
    ...(delivered ? { delivered } : {}),
  });
  runner.start();
  while (runner.status().state === 'running' && runner.clock.now() < untilSimMs) {
    real.advance(1000);
    scheduler.fire();
    await runner.tick();
  }
  await runner.stop();
  expect(errors).toEqual([]);
  return runner;
}

describe('drill → store → journal', () => {
  let dir = '';
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'fb-drill-journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('plays INC-2026-042 into a journal, survives a re-open mid-way, and records each item exactly once', async () => {
    const scenario = await loadScenario('inc-2026-042');
    const file = join(dir, 'drill.jsonl');
    const { incident } = scenario;
    const first = await newIncident(file, {
      incidentId: incident.id,
      title: incident.title,
      codename: incident.codename,
      mode: 'drill',
      scenario: scenario.name,
    });
    const halfway = scenario.startMs + 30 * 60_000;
    const r1 = await play(scenario, first.store, halfway);
    const partial = r1.status().delivered;
    expect(partial).toBeGreaterThan(10);
    expect(partial).toBeLessThan(scenario.items.length);
    await first.journal!.close();

    // Re-open: the delivered ids come from the journal itself.
    const delivered = new Set<string>();
    await scanJournal(file, (r) => {
      const id = deliveredItemId(r.record);
      if (id) delivered.add(id);
    });
    expect(delivered.size).toBe(partial);
    const second = await openIncident(file);
    const r2 = await play(scenario, second.store, Number.POSITIVE_INFINITY, delivered);
    expect(r2.status()).toMatchObject({ finished: true, delivered: scenario.items.length });
    await second.journal!.close();

    const counts = new Map<string, number>();
    await scanJournal(file, (r) => {
      const id = deliveredItemId(r.record);
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    });
    // Branches that need containment to have stopped something did not happen: nothing contained here.
    const skipped = scenario.items.filter((i) => i.kind === 'event' && i.when && 'blocked' in i.when).length;
    expect(skipped).toBeGreaterThan(0);
    expect(counts.size).toBe(scenario.items.length - skipped);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    const { state } = (await openIncident(file, { readOnly: true })).store.getState();
    expect(state.events.length).toBe(scenario.items.filter((i) => i.kind === 'event').length - skipped);
    expect(state.detections.length).toBe(scenario.items.filter((i) => i.kind === 'detection').length);
    expect(state.incident).toMatchObject({ id: 'INC-2026-042', mode: 'drill', scenario: 'inc-2026-042' });

    // The scripted AssumeRole credentials never reach the disk; the key id (a pivot) does.
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY');
    expect(text).not.toContain('IQoJb3JpZ2luX2VjEJr');
    expect(text).toContain('ASIA5ATTACKEXAMPLE01');
  });

  it('plays the Kubernetes scenario to the end into a journal', async () => {
    const scenario = await loadScenario('k8s-compromised-pod');
    const file = join(dir, 'k8s.jsonl');
    const { store, journal } = await newIncident(file, {
      incidentId: scenario.incident.id,
      title: scenario.incident.title,
      mode: 'drill',
      scenario: scenario.name,
    });
    const r = await play(scenario, store, Number.POSITIVE_INFINITY);
    await journal!.close();
    expect(r.status()).toMatchObject({ finished: true, delivered: scenario.items.length });
    expect(store.getState().state.detections.length).toBe(scenario.items.filter((i) => i.kind === 'detection').length);
  });
});
