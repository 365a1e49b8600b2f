// y in the full-record view puts the selected field on the terminal's clipboard with OSC 52:
// the bytes a real terminal (or tmux with set-clipboard on) turns into a clipboard write.

import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { killAll, sandbox, spawnCli, type Sandbox } from './terminal.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  box.remove();
});

it('drill: Enter on an event, y copies its first field as OSC 52', async () => {
  const t = spawnCli(['drill', '--journal', join(box.dir, 'd.jsonl'), '--speed', '60'], {
    env: box.env,
    cols: 120,
    rows: 40,
  });
  await t.waitFor((s) => /3 Live events {2}[1-9]/.test(s), undefined, 'a live event');
  t.press('enter');
  await t.waitFor('type: event.ingested');
  t.press('y');
  await t.waitFor('copied v (1 bytes) to the clipboard');
  const osc = /\x1b\]52;c;([A-Za-z0-9+/=]*)\x07/.exec(t.output());
  expect(osc, 'an OSC 52 write').not.toBeNull();
  // The record's first field: its format version (2 for a journal written today).
  expect(Buffer.from(osc![1]!, 'base64').toString()).toBe('2');
});
