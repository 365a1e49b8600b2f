// The actions pane offers the actions of EVERY target the selected event names, grouped by target:
// a compromised pod's own event names the node it runs on, so cordon is offered right there (the
// fold used to keep only the first target, the pod). A key two targets share (two access keys)
// plans on the target of the highlighted row.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../src/domain/event.js';
import { ActionRunner } from '../../store/action-runner.js';
import type { ActionSession } from '../../store/action-session.js';
import type { IncidentStore } from '../../store/store.js';
import { createJournal, linesOf, mount, recordsOf, Scratch, type Cockpit } from './harness.js';
import { standInEnv } from './stand-in-actions.js';
import { eventSearchText } from '../../views/format.js';

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

const NODE = 'ip-10-0-3-17.ec2.internal';

const podEvent: IncidentEvent = {
  source: 'kubernetes',
  id: 'uid-web-1@41',
  eventTime: '2026-04-20T14:30:00.000Z',
  discoveredAt: '2026-04-20T14:30:01.000Z',
  actor: 'unknown',
  action: 'pod modified',
  targets: ['pods/web-1', `nodes/${NODE}`],
  namespace: 'prod',
  outcome: 'success',
  raw: {},
};

/** The real registry (meta only: nothing runs unarmed), AWS and Kubernetes reachable. */
function realSession(store: IncidentStore): ActionSession {
  const env = standInEnv(scratch.dir);
  const runner = new ActionRunner({
    store,
    mode: 'live',
    env: async () => env,
    backends: new Set(['aws', 'kubernetes']),
  });
  return { runner, armTargets: async () => [] };
}

const footer = (f: string) => linesOf(f).at(-1)!;

describe('every target of the selected event', () => {
  it("offers cordon from the compromised pod's own event, under the pod's and namespace's actions", async () => {
    const { file, store } = await createJournal(scratch, { events: [podEvent] });
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 50, actions: realSession(store) }));
    c.press('4');
    const f = await c.waitForText('[o] ! Cordon the node', '[Q] ! Quarantine the pod');
    expect(f).toContain(`for pod prod/web-1, node ${NODE}, namespace prod`);
    expect(f).toContain(`[o] ! Cordon the node — ${NODE}  [not armed`);
    const pane = linesOf(f);
    const at = (t: string) => pane.findIndex((l) => l.includes(t));
    // Grouped by target, in the order the event names them: the pod's actions, then the node's.
    expect(at('Capture pod evidence')).toBeLessThan(at('Quarantine the pod'));
    expect(at('Quarantine the pod')).toBeLessThan(at('Cordon the node'));
    expect(at('Cordon the node')).toBeLessThan(at('Isolate the namespace'));
    // Its key acts on the node: unarmed, it says why, naming the action.
    c.press('o');
    await c.waitFor((x) => footer(x).includes('not armed') && footer(x).includes('Cordon the node'), 'the reason');
    expect(recordsOf(file, 'action.planned')).toHaveLength(0);
  });

  it("the filter finds a pod's events by its node's name", async () => {
    const { store } = await createJournal(scratch, { events: [podEvent] });
    const row = store.getState().state.events.at(0)!;
    expect(eventSearchText(row)).toContain(`nodes/${NODE}`);
  });

  it('a key two targets share acts on the target of the highlighted row', async () => {
    const call: IncidentEvent = {
      source: 'cloudtrail',
      id: '7f3c9a2e-51d4-4b8e-9c1a-0000000000aa',
      eventTime: '2026-04-20T14:30:00.000Z',
      discoveredAt: '2026-04-20T14:37:00.000Z',
      actor: 'arn:aws:iam::123456789012:user/ci-bot',
      action: 'CreateAccessKey',
      targets: ['AKIAIOSFODNN7EXAMPLE'],
      accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
      region: 'us-east-1',
      outcome: 'success',
      raw: {},
    };
    const { file, store } = await createJournal(scratch, { events: [call] });
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 50, actions: realSession(store) }));
    c.press('4');
    const f = await c.waitForText('AKIAI44QH8DHBEXAMPLE');
    const offered = linesOf(f).filter((l) => l.includes('Deactivate the access key'));
    expect(offered.map((l) => /— (AKIA\w+)/.exec(l)?.[1])).toEqual(['AKIAIOSFODNN7EXAMPLE', 'AKIAI44QH8DHBEXAMPLE']);
    // Highlight the second key's row, then press the shared key: the second key's action is the one meant.
    const rows = linesOf(f).filter((l) => /\[\w\] [◆!·] /.test(l));
    const second = rows.findIndex((l) => l.includes('Deactivate') && l.includes('AKIAI44QH8DHBEXAMPLE'));
    for (let i = 0; i < second; i++) c.press('j');
    c.press('x');
    await c.waitFor(
      (x) => footer(x).includes('not armed') && footer(x).includes('Deactivate the access key'),
      'the reason',
    );
    expect(c.ui.getState().actionSel).toBe(second);
  });
});
