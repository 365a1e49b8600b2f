// `:update AUDIENCE` with $EDITOR set: the cockpit hands the terminal to the editor and takes it
// back (same incident, same stores), and `:update-send` records the edited draft as sent.

import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { killAll, sandbox, spawnCli, type Sandbox, quitCockpit, runPalette } from './terminal.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  box.remove();
});

it('drill: :update opens the draft in $EDITOR, the cockpit comes back, :update-send journals the edited text', async () => {
  const editor = join(box.dir, 'editor.sh');
  // A stand-in editor: appends a line (as a person would), and leaves a mark that it ran on a TTY.
  writeFileSync(
    editor,
    `#!/bin/sh\nprintf '\\nScope confirmed by the DBA at 15:05 UTC.\\n' >> "$1"\n[ -t 0 ] && echo tty > "$1.tty"\n`,
  );
  chmodSync(editor, 0o755);
  const J = join(box.dir, 'drill.jsonl');
  const t = spawnCli(['drill', '--journal', J, '--paused'], {
    env: { ...box.env, EDITOR: editor, VISUAL: '' },
    cols: 160,
    rows: 40,
  });
  await t.waitFor(/^ DRILL /, undefined, 'the drill');

  await runPalette(t, 'update leadership');
  await t.waitFor(
    (s) => /^ DRILL /.test(s) && s.includes(':update-send leadership records it as sent'),
    undefined,
    'the cockpit back, saying what to do next',
  );
  await runPalette(t, 'update-send leadership');
  await t.waitFor('leadership update recorded as sent');

  await quitCockpit(t);
  const recs = readFileSync(J, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const update = recs.find((r) => r.type === 'update.recorded');
  expect(update.data.audience).toBe('leadership');
  expect(update.data.markdown).toContain('Scope confirmed by the DBA at 15:05 UTC.');
  expect(update.data.markdown).toContain('DRAFT');
  // The editor had the terminal (it ran with a TTY on stdin, as a real editor needs).
  expect(readdirSync(box.dir).filter((n) => n.endsWith('.md.tty'))).toHaveLength(1);
});
