// Input that never misfires, in a real pseudo-terminal: Esc followed quickly by a key
// (what tmux forwards as one Meta chord within its escape-time), bracketed paste turned on and
// off, a paste with line breaks into the note field (bracketed, and raw from a terminal without
// bracketed paste), a paste outside any field, and the
// palette's history.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { killAll, sandbox, spawnCli, type Sandbox } from './terminal.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  box.remove();
});

const PASTE = (text: string) => `\x1b[200~${text}\x1b[201~`;

it('Esc+key is Esc then the key; a paste is literal text in a field and refused elsewhere', async () => {
  const J = join(box.dir, 'drill.jsonl');
  const t = spawnCli(['drill', '--journal', J, '--speed', '1'], { env: box.env, cols: 120, rows: 40 });
  await t.waitFor(/^ DRILL +SEVERITY NOT SET /, undefined, 'the DRILL header');
  // The cockpit asks the terminal for bracketed paste, so a paste can be told from typing.
  await t.waitFor(() => t.output().includes('\x1b[?2004h'), undefined, 'bracketed paste turned on');

  t.press('n');
  await t.waitFor('Add a note');
  t.type('draft');
  await t.waitFor('note: draft');
  // Esc then n inside the escape time, as ONE chunk: the field closes, a new empty one opens.
  t.type('\x1bn');
  await t.waitFor((s) => s.includes('Add a note') && !s.includes('note: draft'), undefined, 'a fresh note field');
  expect(t.screen()).not.toContain('draftn');

  // A pasted two-line text lands in the field as one line and does not submit it.
  t.type(PASTE('first line\r\nsecond line\r'));
  await t.waitFor('note: first line second line');
  t.press('enter');
  await t.waitFor((s) => /NOTE .*first line second line/.test(s), undefined, 'the pasted note on the timeline');

  // The same two lines from a terminal without bracketed paste: one raw chunk. They stay text in
  // the field; the "n" of the second line does not open a new note, "q" does not ask to quit.
  t.press('n');
  await t.waitFor('Add a note');
  t.type('raw one\rline s1 q\r');
  await t.waitFor('note: raw one line s1 q');
  expect(t.screen()).not.toContain('Quit firebreak?');
  t.press('enter');
  await t.waitFor((s) => /NOTE .*raw one line s1 q/.test(s), undefined, 'the raw multi-line note on the timeline');

  // Pasted outside any field, "q" and "s" are not keys: no quit prompt, no severity picker.
  t.type(PASTE('qs1'));
  await t.waitFor('paste ignored');
  expect(t.screen()).not.toContain('Quit firebreak?');
  expect(t.screen()).not.toContain('Set the severity');

  // The palette remembers: a failed line closes it, the next ":" starts clean, ↑ brings it back.
  t.press(':');
  await t.waitFor('Tab completes');
  t.type('sevrity high');
  await t.waitFor(': sevrity high');
  t.press('enter');
  await t.waitFor('unknown command "sevrity"');
  t.press(':');
  await t.waitFor((s) => s.includes('Tab completes') && !s.includes(': sevrity'), undefined, 'a clean palette');
  t.press('up');
  await t.waitFor(': sevrity high');
  t.press('escape');
  await t.waitFor((s) => !s.includes('Tab completes'), undefined, 'the palette closed');

  t.press('ctrl-c');
  await t.waitFor('Quit firebreak?');
  t.press('ctrl-c');
  expect(await t.exit()).toEqual({ code: 0, signal: undefined });
  // Bracketed paste is handed back to the shell on the way out.
  expect(t.output().lastIndexOf('\x1b[?2004l')).toBeGreaterThan(t.output().lastIndexOf('\x1b[?2004h'));
  const notes = readFileSync(J, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"note.added"'));
  expect(notes).toHaveLength(2);
  expect(notes[0]).toContain('first line second line');
  expect(notes[1]).toContain('raw one line s1 q');
});
