// Metrics: time to detect / contain / recover, time in each phase and every
// role hand-off (from → to), all computed from the journal; `M` shows them.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { incidentMetrics } from '../../store/metrics.js';
import { metricsLines } from '../../views/metrics-view.js';
import { Clock, Scratch, T0, createJournal, keyOf, mount, type Cockpit } from './harness.js';

let scratch: Scratch;
let cockpit: Cockpit | undefined;
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(async () => {
  cockpit?.unmount();
  cockpit = undefined;
  await scratch.cleanup();
});

const MIN = 60_000;

describe('incident metrics', () => {
  it('come from the journal: durations, phases and hand-offs', async () => {
    const clock = new Clock();
    const { file, store } = await createJournal(scratch, { events: 5, clock });
    const a = store.getState().actions;
    const at = (m: number) => clock.set(T0 + m * MIN);
    at(2);
    await a.pinEvent(keyOf(0), 'first signal');
    await a.assignRole('ic', 'alice');
    at(10);
    await a.setPhase('containment');
    at(15);
    await a.updateIncident({ detectedAt: new Date(T0 + 5 * MIN).toISOString() });
    await a.updateIncident({ containedAt: new Date(T0 + 25 * MIN).toISOString() });
    at(30);
    await a.assignRole('ic', 'bob');
    at(40);
    await a.setPhase('recovery');
    await a.updateIncident({ resolvedAt: new Date(T0 + 85 * MIN).toISOString() });
    const m = incidentMetrics(store.getState().state, new Date(T0 + 90 * MIN));
    const d = Object.fromEntries(m.durations.map((x) => [x.name, x.ms]));
    // The first signal is the pinned event 0 at 14:30:00, ten minutes before the journal opened
    // (T0 = 14:40); detected at 14:45.
    expect(d['Time to detect']).toBe(15 * MIN);
    expect(d['Time to contain']).toBe(20 * MIN);
    expect(d['Time to recover']).toBe(60 * MIN);
    expect(m.phases.map((p) => [p.phase, p.ms / MIN, p.current])).toEqual([
      ['detection', 10, false],
      ['containment', 30, false],
      ['recovery', 45, true],
    ]);
    expect(m.roles).toEqual([
      {
        role: 'Incident commander',
        holders: [
          { person: 'alice', at: new Date(T0 + 2 * MIN).toISOString(), by: 'alice' },
          { person: 'bob', at: new Date(T0 + 30 * MIN).toISOString(), by: 'alice' },
        ],
      },
    ]);

    const c = (cockpit = await mount(store, file, { cols: 120, rows: 40, now: T0 + 90 * MIN }));
    c.press('M');
    await c.waitForText('Metrics', 'Time to contain');
    // The whole view (it scrolls): every line it draws, from the journal as it stands.
    expect(c.ui.getState().dialog?.kind).toBe('metrics');
    const f = metricsLines(store.getState().state, new Date(T0 + 90 * MIN), 116).join('\n');
    expect(f).toMatch(/Time to contain +20m00s {2}detection → recorded/);
    expect(f).toMatch(/Incident commander +alice \(14:42:00 by alice\) → bob \(15:10:00 by alice\)/);
    expect(f).toMatch(/Recovery +45m00s {2}#+ {2}\(now\)/);
    // Phase checklists: triage has the IC but no severity; recovery has its resolved time.
    expect(f).toMatch(/ {2}Triage {2}1\/3\n +\[ \] Severity set\n +\[x\] Incident commander assigned/);
    expect(f).toContain('[·] Threat actor removed from every foothold');
    // Live: a hand-off recorded while the view is open shows without reopening it.
    for (let i = 0; i < 5; i++) c.press('pagedown');
    await c.waitForText('Roles (every hand-off');
    await a.assignRole('ic', 'carol');
    await c.waitFor((x) => /→ carol \(/.test(x), 'the new hand-off in the open view');
    c.press('escape');
    c.press('p');
    const picker = await c.waitForText('Set the phase');
    expect(picker).toMatch(/Triage +1\/3 done/);
  });
});
