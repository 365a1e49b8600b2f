// The drill runner with a hand-stepped clock and scheduler: what is delivered when, in which
import type { IncidentEvent } from '../../../src/domain/event.js';
// order, exactly once — across pause, speed changes, skips, failures and a resumed journal.

import { describe, expect, it } from 'vitest';
import { DrillRunner, TICK_MS, type DrillRunnerOptions, type DrillSink } from '../../../src/sources/drill/runner.js';
import type { Scenario } from '../../../src/sources/drill/scenario.js';
import { loadScenario } from '../../../src/sources/drill/scenario.js';
import { fakeScheduler, fakeTime, recordingSink, smallScenario } from './helpers.js';
import { KubeCluster, judgeKubeCall, type KubeSeed } from '@firebreak/cloud-sim';
import { reactTo } from '../../../src/sources/drill/reactions.js';

const MIN = 60_000;

function setup(scenario: Scenario = smallScenario(), opts: Partial<DrillRunnerOptions> = {}) {
  const real = fakeTime();
  const scheduler = fakeScheduler();
  const sink = recordingSink();
  const errors: Error[] = [];
  const runner = new DrillRunner({ scenario, sink, onError: (e) => errors.push(e), now: real.now, scheduler, ...opts });
  /** Advances real time by `ms` and lets one tick run to completion. */
  const step = async (ms: number) => {
    real.advance(ms);
    scheduler.fire();
    await runner.tick();
  };
  return { real, scheduler, sink, errors, runner, step, scenario };
}

describe('DrillRunner', () => {
  it('ticks at 10 Hz and delivers nothing before an item is due', async () => {
    const { runner, scheduler, sink, step } = setup();
    runner.start();
    expect(scheduler.intervalMs()).toBe(TICK_MS);
    expect(TICK_MS).toBeGreaterThanOrEqual(100);
    await step(2 * MIN - 1);
    expect(sink.calls).toEqual([]);
    expect(runner.status()).toMatchObject({
      simTime: '2026-04-20T14:01:59Z',
      delivered: 0,
      total: 5,
      finished: false,
      state: 'running',
      nextAt: '2026-04-20T14:02:00Z',
    });
  });

  it('delivers in delivery-time order with the scripted discoveredAt, each item once', async () => {
    const { runner, sink, step } = setup();
    runner.start();
    await step(2 * MIN);
    expect(sink.calls).toHaveLength(1);
    expect(sink.events().map((e) => [e.id, e.discoveredAt])).toEqual([['e2', '2026-04-20T14:02:00Z']]);
    await step(0); // a tick with nothing new due delivers nothing again
    expect(sink.calls).toHaveLength(1);
    await step(2 * MIN);
    await step(MIN);
    await step(MIN);
    expect(sink.calls.map((c) => (c.kind === 'ingest' ? c.events.map((e) => e.id).join() : c.kind))).toEqual([
      'e2',
      'e3',
      'inject',
      'e1',
    ]);
    // e1 happened first (14:01) but CloudTrail delivered it last (14:06).
    expect(sink.events().find((e) => e.id === 'e1')).toMatchObject({
      eventTime: '2026-04-20T14:01:00Z',
      discoveredAt: '2026-04-20T14:06:00Z',
    });
    expect(sink.calls[2]).toEqual({
      kind: 'inject',
      id: 'legal',
      text: 'Legal asks a question',
      simTime: '2026-04-20T14:05:00Z',
    });
    await step(MIN);
    expect(sink.calls[4]).toMatchObject({
      kind: 'detect',
      detection: { ruleId: 'test.rule', severity: 1, eventKeys: ['cloudtrail:e1'] },
    });
    expect(runner.status()).toMatchObject({ delivered: 5, total: 5, finished: true, state: 'finished' });
  });

  it('batches every event due at one tick into one ingest call, ahead of injects and detections (in their order)', async () => {
    const { runner, sink, step } = setup();
    runner.start();
    await step(10 * MIN);
    expect(sink.calls.map((c) => c.kind)).toEqual(['ingest', 'inject', 'detect']);
    const first = sink.calls[0]!;
    expect(first.kind === 'ingest' && first.events.map((e) => e.id)).toEqual(['e2', 'e3', 'e1']);
  });

  it('plays a whole bundled scenario at 60×: every item exactly once, in order, then stops ticking', async () => {
    const scenario = await loadScenario('inc-2026-042');
    const { runner, sink, scheduler, step } = setup(scenario, { speed: 60 });
    runner.start();
    for (let i = 0; i < 60 * 10 && runner.status().state === 'running'; i++) await step(TICK_MS);
    expect(runner.status()).toMatchObject({ finished: true, delivered: scenario.items.length });
    expect(scheduler.active()).toBe(false);
    const events = sink.events();
    // Every event but the branches that need containment to have stopped something (none here).
    const unbranched = scenario.items.filter((i) => i.kind === 'event' && !(i.when && 'blocked' in i.when));
    expect(unbranched.length).toBeLessThan(scenario.items.filter((i) => i.kind === 'event').length);
    expect(events.length).toBe(unbranched.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const discovered = events.map((e) => Date.parse(e.discoveredAt));
    expect(discovered).toEqual([...discovered].sort((a, b) => a - b));
    // A detection is never raised before the events it names reached the sink.
    const seen = new Set<string>();
    for (const c of sink.calls) {
      if (c.kind === 'ingest') for (const e of c.events) seen.add(`${e.source}:${e.id}`);
      if (c.kind === 'detect') for (const k of c.detection.eventKeys) expect(seen.has(k), k).toBe(true);
    }
    // At 60×, each 100 ms tick covers 6 simulated seconds: nothing arrives more than a tick late.
    expect(sink.calls.filter((c) => c.kind === 'ingest').length).toBeGreaterThan(20);
  });

  it('pause stops delivery however much real time passes; resume continues from the same sim time', async () => {
    const { runner, sink, step } = setup();
    runner.start();
    await step(MIN);
    runner.pause();
    await step(60 * MIN);
    expect(sink.calls).toEqual([]);
    expect(runner.status()).toMatchObject({ paused: true, simTime: '2026-04-20T14:01:00Z' });
    runner.resume();
    await step(MIN);
    expect(sink.events().map((e) => e.id)).toEqual(['e2']);
  });

  it('setSpeed makes items arrive sooner in real time', async () => {
    const { runner, sink, step } = setup(smallScenario(), { speed: 10 });
    runner.start();
    await step(12_000); // 12 s × 10 = 2 simulated minutes
    expect(sink.events().map((e) => e.id)).toEqual(['e2']);
    runner.setSpeed(0.5);
    await step(60_000); // 30 simulated seconds
    expect(runner.status()).toMatchObject({ speed: 0.5, simTime: '2026-04-20T14:02:30Z' });
    expect(() => runner.setSpeed(-2)).toThrow(RangeError);
  });

  it('skipToNext jumps to the next item and delivers it, even while paused', async () => {
    const { runner, sink } = setup(smallScenario(), { startPaused: true });
    runner.start();
    expect(await runner.skipToNext()).toBe('2026-04-20T14:02:00Z');
    expect(sink.events().map((e) => e.id)).toEqual(['e2']);
    expect(runner.status()).toMatchObject({ paused: true, simTime: '2026-04-20T14:02:00Z' });
    for (const at of ['14:04:00', '14:05:00', '14:06:00', '14:06:30'])
      expect(await runner.skipToNext()).toBe(`2026-04-20T${at}Z`);
    expect(await runner.skipToNext()).toBeUndefined();
    expect(runner.status().finished).toBe(true);
    expect(sink.calls).toHaveLength(5);
  });

  it('resuming with delivered ids skips them and continues where the journal stopped', async () => {
    const first = setup();
    first.runner.start();
    await first.step(4 * MIN);
    // What a re-opened journal holds: the item ids delivered so far.
    const delivered = first.sink.events().map((e) => `cloudtrail:${e.id}`);
    expect(delivered).toEqual(['cloudtrail:e2', 'cloudtrail:e3']);
    await first.runner.stop();

    const second = setup(smallScenario(), { delivered: [...delivered, 'cloudtrail:not-in-this-scenario'] });
    expect(second.runner.status()).toMatchObject({ delivered: 2, total: 5, simTime: '2026-04-20T14:04:00Z' });
    second.runner.start();
    await second.step(10 * MIN);
    expect(second.sink.events().map((e) => e.id)).toEqual(['e1']);
    expect(second.sink.calls.map((c) => c.kind)).toEqual(['ingest', 'inject', 'detect']);
    expect(second.runner.status()).toMatchObject({ finished: true, delivered: 5 });
  });

  it('a resumed drill never starts before its journal’s last record', () => {
    // The team's own records (a quarantine at 14:05:30) come after the last delivered item (14:04).
    const r = setup(smallScenario(), {
      delivered: ['cloudtrail:e2', 'cloudtrail:e3'],
      resumeAtMs: Date.parse('2026-04-20T14:05:30Z'),
    });
    expect(r.runner.status().simTime).toBe('2026-04-20T14:05:30Z');
  });

  it('a fresh drill starts just before its first signal', () => {
    const r = setup(smallScenario(), { leadInMs: 10_000 });
    expect(r.runner.status().simTime).toBe('2026-04-20T14:01:50Z');
  });

  it('skips a quiet stretch of more than 30 s real time, and says it did', async () => {
    const r = setup(smallScenario(), { leadInMs: 10_000, skipQuietMs: 30_000 });
    r.runner.start();
    await r.step(10_000);
    expect(r.sink.events().map((e) => e.id)).toEqual(['e2']);
    // e3 is due at 14:04:00, two real minutes away at ×1: the clock jumps to 10 s before it.
    await r.step(TICK_MS);
    expect(r.runner.status()).toMatchObject({
      simTime: '2026-04-20T14:03:50Z',
      lastSkip: { toMs: Date.parse('2026-04-20T14:03:50Z') },
    });
    expect(r.runner.status().skippedMs).toBeGreaterThan(100_000);
    await r.step(10_000);
    expect(r.sink.events().map((e) => e.id)).toEqual(['e2', 'e3']);
    // Never while paused: a paused clock stands, however long the quiet.
    r.runner.pause();
    const at = r.runner.status().simMs;
    await r.step(5 * MIN);
    expect(r.runner.status().simMs).toBe(at);
  });

  it('without skipQuietMs, nothing is skipped', async () => {
    const r = setup();
    r.runner.start();
    await r.step(2 * MIN);
    await r.step(TICK_MS);
    expect(r.runner.status()).toMatchObject({ simTime: '2026-04-20T14:02:00Z', skippedMs: 0 });
  });

  it('a fully delivered drill finishes at once on start', () => {
    const s = smallScenario();
    const { runner, scheduler, sink } = setup(s, { delivered: s.items.map((i) => i.id) });
    runner.start();
    expect(runner.status()).toMatchObject({ state: 'finished', finished: true });
    expect(scheduler.active()).toBe(false);
    expect(sink.calls).toEqual([]);
  });

  it('a sink failure stops the drill and is reported once; the failed items stay undelivered', async () => {
    const sink = recordingSink();
    const failing: DrillSink = {
      ...sink,
      ingest: async (events) => {
        if (events.some((e) => e.id === 'e3')) throw new Error('journal UNSAFE (fsync failed)');
        return sink.ingest(events);
      },
    };
    const { runner, errors, scheduler, step } = setup(smallScenario(), { sink: failing });
    runner.start();
    await step(2 * MIN);
    await step(2 * MIN);
    expect(errors.map((e) => e.message)).toEqual(['journal UNSAFE (fsync failed)']);
    expect(runner.status()).toMatchObject({
      state: 'failed',
      error: 'journal UNSAFE (fsync failed)',
      delivered: 1,
      paused: true,
    });
    expect(scheduler.active()).toBe(false);
    await step(10 * MIN);
    expect(await runner.skipToNext()).toBeUndefined();
    expect(sink.events().map((e) => e.id)).toEqual(['e2']);
    expect(errors).toHaveLength(1);
  });

  it('a slow sink is never overlapped: a tick during a delivery joins it', async () => {
    let release!: () => void;
    const sink = recordingSink();
    const slow: DrillSink = {
      ...sink,
      ingest: (events) =>
        new Promise((resolve) => {
          release = () => resolve(sink.ingest(events));
        }),
    };
    const { runner, real, scheduler } = setup(smallScenario(), { sink: slow });
    runner.start();
    real.advance(3 * MIN);
    scheduler.fire();
    const inFlight = runner.tick();
    scheduler.fire();
    scheduler.fire();
    const stopped = runner.stop();
    release();
    await inFlight;
    await stopped;
    expect(sink.calls).toHaveLength(1);
    expect(runner.status()).toMatchObject({ state: 'stopped', delivered: 1 });
  });

  it('reports status changes through onChange', async () => {
    const changes: string[] = [];
    const { runner, step } = setup(smallScenario(), {
      onChange: (s) => changes.push(`${s.state}:${s.delivered}:${s.paused}`),
    });
    runner.start();
    await step(2 * MIN);
    runner.pause();
    expect(changes).toEqual(['running:0:false', 'running:1:false', 'running:1:true']);
  });
});

describe('DrillRunner branches (when: blocked / allowed)', () => {
  const SQL5 = 'cloudtrail:a1f2255f-5614-4592-a628-0c3f395a3403';
  const WHOAMI = 'cloudtrail:6f0b3d52-8a41-4c7e-9d25-1e7a0c4b9f38';
  /** The world refusing sql-5, as the simulated cloud does once the session is denied. */
  const refuseSql5 = (events: IncidentEvent[]) =>
    events.map((e) =>
      `${e.source}:${e.id}` === SQL5 ? { ...e, outcome: 'failure' as const, errorCode: 'AccessDenied' } : e,
    );

  async function playAll(opts: Partial<DrillRunnerOptions>) {
    const scenario = await loadScenario('inc-2026-042');
    const { runner, sink, step } = setup(scenario, { speed: 60, ...opts });
    runner.start();
    for (let i = 0; i < 60 * 10 && runner.status().state === 'running'; i++) await step(TICK_MS);
    expect(runner.status()).toMatchObject({ finished: true, delivered: scenario.items.length });
    return sink.events().map((e) => `${e.source}:${e.id}`);
  }

  it('plays the blocked branch only when containment stopped the event it hangs on', async () => {
    const free = await playAll({});
    expect(free).toContain(SQL5);
    expect(free).not.toContain(WHOAMI);
    const contained = await playAll({ react: refuseSql5 });
    expect(contained).toContain(WHOAMI);
    expect(contained.indexOf(WHOAMI)).toBeGreaterThan(contained.indexOf(SQL5));
  });

  it('a dropped event (never reached the service) counts as blocked', async () => {
    const got = await playAll({ react: (evs) => evs.filter((e) => `${e.source}:${e.id}` !== SQL5) });
    expect(got).not.toContain(SQL5);
    expect(got).toContain(WHOAMI);
  });

  it('a resumed drill decides the branch from the journaled outcome', async () => {
    const scenario = await loadScenario('inc-2026-042');
    const before = scenario.items.filter(
      (i) => i.id !== WHOAMI && i.deliverAt <= scenario.items.find((x) => x.id === SQL5)!.deliverAt,
    );
    const { runner, sink, step } = setup(scenario, {
      speed: 60,
      delivered: before.map((i) => i.id),
      journaledOutcome: (key) => (key === SQL5 ? 'failure' : 'success'),
    });
    runner.start();
    for (let i = 0; i < 60 * 10 && runner.status().state === 'running'; i++) await step(TICK_MS);
    expect(sink.events().map((e) => `${e.source}:${e.id}`)).toContain(WHOAMI);
  });
});

// The Kubernetes drill's branches and detections, against the simulated cluster as an oracle
// (packages/cloud-sim): an egress deny-all on the payments namespace before the reverse shell.
describe('DrillRunner on INC-2026-057 with the pod egress cut', () => {
  async function play(contained: boolean) {
    const scenario = await loadScenario('k8s-compromised-pod');
    const seed = (scenario.cloud as { kubernetes: { seed: KubeSeed } }).kubernetes.seed;
    const denyAll = { namespace: 'payments', name: 'isolate', spec: { podSelector: {}, policyTypes: ['Egress'] } };
    const cluster = new KubeCluster({
      ...seed,
      networkPolicies: [...(seed.networkPolicies ?? []), ...(contained ? [denyAll] : [])],
    });
    const react = (evs: IncidentEvent[]) =>
      reactTo(
        evs,
        () => ({ ok: true }),
        (p) => judgeKubeCall(cluster, p),
      );
    const { runner, sink, step } = setup(scenario, { speed: 60, react });
    runner.start();
    for (let i = 0; i < 60 * 10 && runner.status().state === 'running'; i++) await step(TICK_MS);
    expect(runner.status()).toMatchObject({ finished: true, delivered: scenario.items.length });
    const actions = sink.events().map((e) => e.action);
    const rules = sink.calls.flatMap((c) => (c.kind === 'detect' ? [c.detection.ruleId] : []));
    return { actions, rules };
  }

  it('uncontained: the reverse shell, its Sev0 detection and the dropped binary; no second exec', async () => {
    const { actions, rules } = await play(false);
    expect(actions).toContain('Redirect STDOUT/STDIN to Network Connection in Container');
    expect(actions).toContain('Drop and execute new binary in container');
    expect(rules).toContain('falco.outbound-c2');
    expect(actions.filter((a) => a === 'Terminal shell in container')).toHaveLength(1);
  });

  it('contained: no shell connection, no Sev0 on it, no binary — and the attacker execs in again', async () => {
    const { actions, rules } = await play(true);
    expect(actions).not.toContain('Redirect STDOUT/STDIN to Network Connection in Container');
    expect(actions).not.toContain('Unexpected outbound connection destination');
    expect(actions).not.toContain('Drop and execute new binary in container');
    // The detection on events that never happened is not raised; the others still are.
    expect(rules).not.toContain('falco.outbound-c2');
    expect(rules).toContain('k8s.exec-into-pod');
    expect(actions.filter((a) => a === 'Terminal shell in container')).toHaveLength(2);
  });
});
