// The main flow, end to end in a real terminal: open a drill, classify, note, pin, quit; the
// journal verifies; review re-opens it read-only with the same facts and no way to write.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifyJournal } from '../../src/journal/verify.js';
import { killAll, runCli, sandbox, spawnCli, type Sandbox, quitCockpit } from './terminal.js';

const NOTE = 'Contained the role — preserving CloudTrail first';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  box.remove();
});

/** "Live events  N of M · …": how many events the pane shows. */
function eventCount(screen: string): number {
  const m = /3 Live events {2}(\d+) of \d+/.exec(screen);
  return m ? Number(m[1]) : 0;
}

/** The selected row of the live-events pane (a timeline row has no space or * after the marker). */
function selectedEvent(screen: string): string | undefined {
  return />([ *]\d\d:\d\d:\d\d [A-Z]{2} .*)$/m.exec(screen)?.[1];
}

it('drill: severity, note, pin, quit; the journal verifies and reviews read-only', async () => {
  const J = join(box.dir, 'drill.jsonl');
  const t = spawnCli(['drill', '--journal', J, '--speed', '60'], { env: box.env, cols: 160, rows: 40 });

  await t.waitFor(
    (s) => /^ DRILL +SEVERITY NOT SET /.test(s) && eventCount(s) >= 3,
    undefined,
    'the DRILL header, SEVERITY NOT SET and 3 live events',
  );

  // Severity: the picker opens, 1 chooses Sev1 and the header says so at once.
  t.press('s');
  await t.waitFor('Set the severity');
  t.press('1');
  await t.waitFor((s) => s.split('\n')[0]!.includes(' SEV1 HIGH '), undefined, 'SEV1 HIGH on the header');
  expect(t.row(0)).not.toContain('SEVERITY NOT SET');

  // A note, typed as one chunk, shows on the timeline once recorded.
  t.press('n');
  await t.waitFor('Add a note');
  t.type(NOTE);
  await t.waitFor(`note: ${NOTE}`);
  t.press('enter');
  await t.waitFor(
    (s) => new RegExp(`NOTE .*${NOTE}`).test(s) && s.includes('note added — recorded'),
    undefined,
    'the note on the timeline',
  );
  expect(t.screen()).not.toContain('Add a note');

  // Pin: focus the events (from the timeline), move up twice (the list stops following), pin.
  t.press('2');
  await t.waitFor('▌2 Timeline');
  t.press('3');
  await t.waitFor(
    (x) => x.includes('▌3 Live events') && !x.includes('▌2 Timeline'),
    undefined,
    'the live events focused',
  );
  t.press('k');
  let s = await t.waitFor('scrolled (G follows)');
  const first = selectedEvent(s);
  expect(first, 'a selected event row after k').toBeDefined();
  t.press('k');
  s = await t.waitFor((x) => selectedEvent(x) !== first, undefined, 'the selection to move up again');
  const chosen = selectedEvent(s)!;
  expect(chosen.startsWith(' ')).toBe(true); // not pinned yet
  t.press('m');
  s = await t.waitFor(
    (x) => />\*\d/.test(x) && x.includes('Pinned:'),
    undefined,
    'a * on the selected row and "Pinned:" on the timeline',
  );
  // The * is on the row that was selected (same time and source), and the selection did not move.
  expect(selectedEvent(s)!.slice(1, 13)).toBe(chosen.slice(1, 13));
  expect(s).toMatch(/PIN .*Pinned: /);

  await quitCockpit(t);
  expect(t.output()).toContain(`drill journal: ${J}`);
  // Frames come as synchronized updates, which the harness relies on to never read half a frame.
  expect(t.output()).toContain('\x1b[?2026h');
  // The finished drill prints its scorecard, journaled first so export reads the same one.
  expect(t.output()).toMatch(/Drill scorecard \(inc-2026-042\): \d\/5 targets met/);
  const sc = runCli(['export', J, '--scorecard'], box.env);
  expect(sc.code).toBe(0);
  expect(sc.stdout).toContain('# Drill scorecard: INC-2026-042');
  expect(sc.stdout).toContain('| Evidence before destruction |');
  expect(sc.stdout).not.toContain('Not journaled');

  const v = runCli(['verify', J], box.env);
  expect(v.stderr).toBe('');
  expect(v.code).toBe(0);
  expect(v.stdout).toContain('OK');

  // Review: the same facts, read-only, with a cursor over the records.
  const r = spawnCli(['review', J], { env: box.env, cols: 160, rows: 40 });
  s = await r.waitFor(
    (x) => / REVIEW @\d+\/\d+ /.test(x) && x.includes(' SEV1 HIGH ') && x.includes(NOTE),
    undefined,
    'REVIEW with SEV1 HIGH and the note',
  );
  const [, at, total] = / REVIEW @(\d+)\/(\d+) /.exec(s)!;
  expect(at).toBe(total);
  expect(r.row(r.rows - 1)).not.toContain('s severity'); // writing keys are not even offered

  // `s` is not bound in review: it opens nothing. `[` (sent after it, handled in order) steps back.
  r.press('s');
  r.press('[');
  s = await r.waitFor(
    (x) => x.includes(` REVIEW @${Number(total) - 1}/${total} `) || x.includes('Set the severity'),
    undefined,
    'the cursor to step back',
  );
  expect(s).not.toContain('Set the severity');
  expect(s).toContain(` REVIEW @${Number(total) - 1}/${total} `);

  await quitCockpit(r);
  // Review wrote nothing, and left no lock behind.
  const after = await verifyJournal(J);
  expect(after.ok).toBe(true);
  expect(after.message).toContain(`${total} records`);
  expect(existsSync(`${J}.lock`)).toBe(false);
});
