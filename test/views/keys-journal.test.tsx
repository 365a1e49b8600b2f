// Keys → journal: each incident key opens its dialog, and choosing writes exactly one durable
// record of the right type, which the header or the timeline then shows (nothing on screen is
// ahead of the disk: the footer says "recorded" only after the append resolved).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Scratch,
  createJournal,
  keyOf,
  linesOf,
  mount,
  readJournal,
  recordsOf,
  sizeOf,
  type Cockpit,
} from './harness.js';

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

/** Types text one key at a time, as a responder would. */
function type(c: Cockpit, text: string): void {
  for (const ch of text) c.press(ch);
}

describe('keys write the journal', () => {
  // 200x50: the whole first header line fits, so "IC alice" is visible (at 80 and 120 columns
  // the line is truncated before the IC).
  async function setup() {
    const { file, store } = await createJournal(scratch, { events: 20 });
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 50 }));
    return { file, store, c };
  }

  it('s + 1 sets Sev1; s + ↓ + Enter moves it to Sev2', async () => {
    const { file, c } = await setup();
    expect(linesOf(c.frame())[0]).toContain('SEVERITY NOT SET');
    c.press('s');
    await c.waitForText('Set the severity', '› 1  Sev1 High');
    c.press('1');
    // The severity record (seq 22), not the checkpoint (seq 23) the journal writes after it.
    await c.waitForText('severity Sev1 High — recorded (seq 22)');
    expect(recordsOf(file, 'checkpoint').map((r) => r.seq)).toContain(23);
    expect(recordsOf(file, 'severity.set').map((r) => r.data)).toEqual([{ level: 1 }]);
    expect(linesOf(c.frame())[0]).toContain(' SEV1 HIGH ');
    expect(c.frame()).toMatch(/SEV +alice +Severity set to Sev1 High/);

    // The picker opens on the current level; ↓ then Enter chooses the next one.
    c.press('s');
    await c.waitForText('Set the severity');
    c.press('down');
    await c.waitForText('› 2  Sev2 Medium');
    c.press('enter');
    await c.waitFor((f) => linesOf(f)[0]!.includes(' SEV2 MEDIUM '), 'SEV2 MEDIUM in the header');
    expect(recordsOf(file, 'severity.set').map((r) => r.data.level)).toEqual([1, 2]);
  });

  it('n + text + Enter adds a note that the timeline shows', async () => {
    const { file, c } = await setup();
    c.press('n');
    await c.waitForText('Add a note');
    type(c, 'GuardDuty finding confirmed');
    await c.waitForText('note: GuardDuty finding confirmed');
    c.press('enter');
    await c.waitForText('note added — recorded');
    expect(recordsOf(file, 'note.added').map((r) => r.data)).toEqual([{ text: 'GuardDuty finding confirmed' }]);
    expect(c.frame()).toMatch(/NOTE alice +GuardDuty finding confirmed/);
    expect(c.frame()).toContain('2 entries');
  });

  it('p + a phase sets the phase; r + IC + "alice" assigns the incident commander', async () => {
    const { file, c } = await setup();
    expect(linesOf(c.frame())[0]).toContain('phase Detection');
    c.press('p');
    // The picker proposes the next phase after the current one.
    await c.waitForText('Set the phase', '› 2  Triage');
    c.press('3');
    await c.waitForText('phase Containment — recorded');
    expect(recordsOf(file, 'phase.set').map((r) => r.data)).toEqual([{ phase: 'containment' }]);
    expect(linesOf(c.frame())[0]).toContain('phase Containment');

    expect(linesOf(c.frame())[0]).toContain('IC UNASSIGNED');
    c.press('r');
    await c.waitForText('Roles — choose one to assign or hand over', '› 0  Incident commander   unassigned');
    c.press('enter');
    await c.waitForText('Incident commander:');
    // Enter with no name is refused and writes nothing.
    const before = sizeOf(file);
    c.press('enter');
    await c.waitForText('type who takes the role, then Enter');
    expect(sizeOf(file)).toBe(before);
    type(c, 'alice');
    await c.waitForText('Incident commander: alice');
    c.press('enter');
    await c.waitForText('Incident commander: alice — recorded');
    expect(recordsOf(file, 'role.assigned').map((r) => r.data)).toEqual([{ role: 'ic', person: 'alice' }]);
    expect(linesOf(c.frame())[0]).toContain('IC alice');
    expect(linesOf(c.frame())[0]).not.toContain('UNASSIGNED');
    // The severity pane lists the seats, empty ones too.
    expect(c.frame()).toContain('roles: IC alice · Scribe — · Comms —');

    // A hand-off: the roster shows the holder, the timeline and the roster say from whom.
    c.press('r');
    await c.waitForText('› 0  Incident commander   alice (since ');
    c.press('enter');
    await c.waitForText('Incident commander:');
    type(c, 'bob');
    c.press('enter');
    await c.waitForText('Incident commander: alice → bob');
    c.press('r');
    await c.waitForText('Incident commander   bob (since ', 'from alice)');
    c.press('escape');
  });

  it('3, select an event, m pins it (* on the row); m again is refused and writes nothing', async () => {
    const { file, c } = await setup();
    c.press('3');
    c.press('g', 'j', 'j');
    // The marker is on the third event (14:30:02), not yet pinned.
    await c.waitForText('> 14:30:02 CT');
    c.press('m');
    await c.waitForText('pinned GetObject to the timeline — recorded');
    const pins = recordsOf(file, 'event.pinned');
    expect(pins.map((r) => r.data)).toEqual([{ key: keyOf(2) }]);
    expect(c.frame()).toContain('>*14:30:02 CT');
    // Only that row carries the star; the timeline has the pin with the event's own time.
    expect(c.frame().match(/\*\d\d:\d\d:\d\d /g)).toHaveLength(1);
    expect(c.frame()).toMatch(/PIN +alice +Pinned: GetObject by arn:aws:sts::123456789012:assumed-role\/ci-deployer/);

    const size = sizeOf(file);
    const records = readJournal(file).length;
    c.press('m');
    await c.waitForText('✗ this event is already pinned to the timeline');
    expect(sizeOf(file)).toBe(size);
    expect(readJournal(file)).toHaveLength(records);
  });
});
