// Quitting with Ctrl-C, the reflex of every terminal user: the first asks, the second quits,
// the process exits cleanly and the journal holds everything recorded, intact.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { killAll, runCli, sandbox, spawnCli, type Sandbox } from './terminal.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  box.remove();
});

it('Ctrl-C twice quits with exit 0 and leaves an intact journal', async () => {
  const J = join(box.dir, 'drill.jsonl');
  const t = spawnCli(['drill', '--journal', J, '--speed', '120'], { env: box.env, cols: 120, rows: 40 });
  await t.waitFor(
    (s) => /^ DRILL +SEVERITY NOT SET /.test(s) && /3 Live events {2}[1-9]\d* of/.test(s),
    undefined,
    'the drill with live events',
  );

  t.press('n');
  await t.waitFor('Add a note');
  t.type('quit test note');
  await t.waitFor('note: quit test note');
  t.press('enter');
  await t.waitFor((s) => /NOTE .*quit test note/.test(s), undefined, 'the note on the timeline');

  // The first Ctrl-C only asks (a stray Ctrl-C must not drop the cockpit mid-incident).
  t.press('ctrl-c');
  await t.waitFor('Quit firebreak?');
  expect(t.exitedStatus).toBeUndefined();
  t.press('ctrl-c');
  expect(await t.exit()).toEqual({ code: 0, signal: undefined });
  expect(t.output()).toContain(`drill journal: ${J}`);
  // Back on the normal screen, with the summary visible.
  expect(t.term.buffer.active.type).toBe('normal');
  expect(t.screen()).toContain('drill journal:');

  const v = runCli(['verify', J], box.env);
  expect(v.stderr).toBe('');
  expect(v.code).toBe(0);
  expect(v.stdout).toContain('OK');
  // Everything recorded is in it, and the writer's lock was released on the way out.
  expect(readFileSync(J, 'utf8')).toContain('"text":"quit test note"');
  expect(existsSync(`${J}.lock`)).toBe(false);
});
