// Terminal injection, end to end: the bundled drill carries attacker-chosen user agents with an
// OSC title-set + clear-screen (`\e]0;pwned\a\e[2J`, ListBuckets) and a right-to-left override
// (U+202E, GetObject part-0007). A real terminal emulator reads everything the cockpit writes;
// the title must never change, the screen must never be cleared by them, and the escapes must
// be visible as inert text where the record is shown.

import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { killAll, sandbox, spawnCli, type Sandbox, type TerminalSession, quitCockpit } from './terminal.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  box.remove();
});

const HEADER = /^ DRILL +SEVERITY NOT SET /;

/** Narrows the live events to `text`, then opens the one match in the detail view. */
async function openEvent(t: TerminalSession, text: string, action: string): Promise<void> {
  t.press('/');
  const s = await t.waitFor('Filter the events');
  if (!/│\/ +│/.test(s)) {
    // Clear the previous filter first, and see it cleared: typed after Ctrl-U in the same chunk,
    // the text would be dropped (see the report on control characters in pasted chunks).
    t.press('ctrl-u');
    await t.waitFor(/│\/ +│/, undefined, 'an empty filter');
  }
  t.type(text);
  await t.waitFor(`/ ${text}`);
  t.press('enter');
  // The filter stays; the pane lists exactly the one event once the drill has delivered it.
  await t.waitFor(
    (s) => s.includes(`Live events  1 matching "${text}"`) && new RegExp(`> \\d\\d:\\d\\d:\\d\\d CT ${action}`).test(s),
    40_000,
    `the ${action} event (${text}) in the live events`,
  );
  t.press('enter');
  await t.waitFor(
    (s) => s.includes(`${action} · cloudtrail`) && s.includes('type: event.ingested'),
    undefined,
    `the ${action} record in the detail view`,
  );
}

it('attacker escapes in events never reach the terminal: no title change, no clear, visible tokens', async () => {
  const J = join(box.dir, 'drill.jsonl');
  const t = spawnCli(['drill', '--journal', J, '--speed', '120'], { env: box.env, cols: 200, rows: 60 });
  await t.waitFor(HEADER, undefined, 'the DRILL header');

  // ListBuckets carries `\e]0;pwned\a\e[2J` in its user agent (arrives at drill +13:25, ~7 s at ×120).
  await openEvent(t, 'ListBuckets', 'ListBuckets');
  let s = await t.waitFor((x) => x.includes('userAgent: '), undefined, 'the user agent in the detail view');
  const ua = s.split('\n').find((l) => l.includes('userAgent: ') && l.includes('command/s3.ls'));
  expect(ua, 'the attacker user agent line').toBeDefined();
  // The ESC and BEL are shown as inert, visible text right where they were; nothing after them was
  // eaten. The detail view's field tree prints each value through the neutraliser (␛ and ␇);
  // the raw JSON view spells C0 controls `\u001b` (either is safe).
  // (The user agent appears nowhere else on screen: the events list does not show it.)
  expect(ua).toMatch(/command\/s3\.ls(\\u001b|␛)\]0;pwned(\\u0007|␇)(\\u001b|␛)\[2J/);
  // The clear-screen did not run: the header is still on the first row.
  expect(t.row(0)).toMatch(HEADER);

  t.press('escape');
  await t.waitFor((x) => !x.includes('ListBuckets · cloudtrail'), undefined, 'the detail view to close');

  // GetObject part-0007 carries U+202E (arrives at drill +31:35): speed the clock up from the palette.
  t.press(':');
  await t.waitFor('Tab completes');
  t.type('speed 600');
  await t.waitFor('│: speed 600');
  t.press('enter');
  await t.waitFor(
    (x) => x.includes('drill clock ×600') && /drill ▶ ×600/.test(x),
    undefined,
    'the drill running at ×600',
  );

  await openEvent(t, 'part-0007', 'GetObject');
  t.press('G'); // the normalised event's own user agent is near the end of the record
  // G reaches the record's last row ("row N/N"); the whole tree fits, the user agent included.
  s = await t.waitFor((x) => /row (\d+)\/\1 /.test(x) && x.includes('hash: '), undefined, 'the end of the record');
  expect(s).toContain('command/s3.cp <U+202E>txt.exe]');
  expect(t.row(0)).toMatch(HEADER);

  t.press('escape');
  await t.waitFor((x) => !x.includes('GetObject · cloudtrail'), undefined, 'the detail view to close');
  await quitCockpit(t);

  // What the terminal saw: no title was ever set (Ink sets none; the attacker must not),
  // and no raw bidi override or 8-bit C1 control was ever written.
  expect(t.titles).toEqual([]);
  expect(t.titleOscs).toEqual([]);
  const raw = t.output();
  expect(raw).not.toMatch(/\x1b\][0-2];/);
  expect(raw).not.toMatch(/\x1b\][^\x07\x1b]*pwned/);
  expect(raw).not.toContain('\u202e');
  expect(raw).not.toMatch(/[\u0080-\u009f]/);
  // The attacker's clear-screen never appears as a sequence (Ink may clear, but not right after the user agent).
  expect(raw).not.toMatch(/s3\.ls[^\n]{0,20}\x1b\[2J/);
}, 90_000);
