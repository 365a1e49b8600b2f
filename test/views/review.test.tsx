// Review mode: a journal opened read-only is replayed record by record. Nothing can be written
// (the keys that write are not even bound), and stepping back shows the incident as it stood then.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Clock,
  Scratch,
  T0,
  createJournal,
  events,
  keyOf,
  linesOf,
  mount,
  openForReview,
  readJournal,
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

const at = (h: number, m: number, s = 0) => Date.UTC(2026, 3, 20, h, m, s);

/**
 * seq 1 opened 14:40:00 · 2–6 five events 14:41:00 · 7 Sev1 14:45:00 · 8 its checkpoint ·
 * 9 note 14:50:00 · 10 pin 14:55:00 · 11 phase Triage 15:00:00 · 12 its checkpoint.
 */
async function recordedIncident(): Promise<string> {
  const clock = new Clock(T0);
  const { file, store } = await createJournal(scratch, { clock });
  const a = store.getState().actions;
  clock.set(at(14, 41));
  await a.ingestEvents(events(5));
  clock.set(at(14, 45));
  await a.setSeverity(1, 'CI role reading customer exports');
  clock.set(at(14, 50));
  await a.addNote('GuardDuty finding confirmed');
  clock.set(at(14, 55));
  await a.pinEvent(keyOf(2));
  clock.set(at(15, 0));
  await a.setPhase('triage');
  expect(store.getState().state.seq).toBe(12);
  await scratch.closeJournals();
  return file;
}

const header = (f: string) => linesOf(f)[0]!;
const clockLine = (f: string) => linesOf(f)[1]!;

describe('review mode', () => {
  it('writes nothing, steps through records, jumps between marks and to a time', async () => {
    const file = await recordedIncident();
    const store = await openForReview(file);
    const c = (cockpit = await mount(store, file, { cols: 120, rows: 40, mode: 'review' }));
    let f = c.frame();
    expect(header(f)).toContain('REVIEW @12/12');
    expect(header(f)).toContain('SEV1 HIGH');
    expect(clockLine(f)).toContain('15:00:00 UTC');
    expect(clockLine(f)).toContain('journal read-only');
    expect(f).toContain('GuardDuty finding confirmed');

    // s, n and m are not bound in review: no dialog, nothing written. `[` is the barrier: once
    // its effect shows, the keys before it have been handled.
    const size = sizeOf(file);
    c.press('s', 'n', 'p', 'r', '3', 'm', '[');
    f = await c.waitForText('REVIEW @11/12');
    for (const dialog of ['Set the severity', 'Add a note', 'Set the phase', 'Roles — choose one'])
      expect(f).not.toContain(dialog);
    expect(f).not.toContain('✗');
    expect(sizeOf(file)).toBe(size);
    expect(readJournal(file)).toHaveLength(12);
    // The store refuses too, should anything reach it.
    await expect(store.getState().actions.addNote('x')).rejects.toThrow(/read-only/);

    // Back to seq 7 (the severity record; 8 is its checkpoint): Sev1 is set, the later note is not there yet.
    c.press('[', '[', '[', '[');
    f = await c.waitForText('REVIEW @7/12');
    expect(header(f)).toContain('SEV1 HIGH');
    expect(clockLine(f)).toContain('14:45:00 UTC');
    expect(f).toContain('Severity set to Sev1 High');
    expect(f).not.toContain('GuardDuty finding confirmed');

    // One more: before the severity was set.
    c.press('[');
    f = await c.waitForText('REVIEW @6/12');
    expect(header(f)).toContain('SEVERITY NOT SET');
    expect(f).not.toContain('Severity set to Sev1 High');
    expect(f).not.toContain('GuardDuty finding confirmed');

    c.press(']');
    f = await c.waitForText('REVIEW @7/12');
    expect(header(f)).toContain('SEV1 HIGH');

    // Marks: severity (7), pin (10), phase (11); the note (9) and checkpoints are not marks.
    c.press('}');
    f = await c.waitForText('REVIEW @10/12');
    expect(f).toContain('*14:30:02');
    expect(header(f)).toContain('phase Detection');
    c.press('}');
    f = await c.waitForText('REVIEW @11/12');
    expect(header(f)).toContain('phase Triage');
    c.press('{');
    await c.waitForText('REVIEW @10/12');
    c.press('{');
    f = await c.waitForText('REVIEW @7/12');
    // The pin is not there yet at seq 7.
    expect(f).not.toMatch(/\*\d\d:\d\d:\d\d /);
    c.press('{');
    f = await c.waitForText('no earlier detection, decision or action');
    expect(header(f)).toContain('REVIEW @7/12');

    // t + a time: the last record at or before it (the note, 14:50:00).
    c.press('t');
    await c.waitForText('Show the incident as of a time (UTC)');
    for (const ch of '14:52:30') c.press(ch);
    await c.waitForText('time: 14:52:30');
    c.press('enter');
    f = await c.waitForText('REVIEW @9/12');
    expect(clockLine(f)).toContain('14:50:00 UTC');
    expect(f).toContain('GuardDuty finding confirmed');
    expect(f).not.toMatch(/\*\d\d:\d\d:\d\d /);

    // A time that is not a time is refused with a hint; the dialog stays.
    c.press('t');
    await c.waitForText('Show the incident as of a time (UTC)');
    c.write('teatime');
    c.press('enter');
    await c.waitForText('type a time as HH:MM, HH:MM:SS or an ISO time (UTC)');
    c.press('escape');
    await c.waitFor((x) => !x.includes('Show the incident as of a time'), 'the time dialog to close');

    c.press('E');
    f = await c.waitForText('REVIEW @12/12');
    expect(header(f)).toContain('phase Triage');
    expect(f).toContain('GuardDuty finding confirmed');
    expect(sizeOf(file)).toBe(size);
  });

  it('stepping stops at the first and the last record', async () => {
    const file = await recordedIncident();
    const store = await openForReview(file);
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24, mode: 'review' }));
    c.press(']');
    c.press('[');
    await c.waitForText('REVIEW @11/12');
    for (let i = 0; i < 14; i++) c.press('[');
    const f = await c.waitForText('REVIEW @1/12');
    expect(header(f)).toContain('SEVERITY NOT SET');
    expect(f).toContain('0 of 5');
    // Review offers no key that would write: the severity pane does not say "press s".
    expect(f).toContain('Not set at this record');
    expect(f).not.toContain('press s');
    c.press('E');
    await c.waitForText('REVIEW @12/12');
  });
});
